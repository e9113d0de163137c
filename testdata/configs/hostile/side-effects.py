# Every way a config file could act on the machine. The reader must not do
# any of it. SENTINEL_DIR is replaced by the test with an empty directory.
import os
import shutil
import socket
import subprocess
import importlib
import urllib.request

import requests

SYSTEM = os.system("touch SENTINEL_DIR/os-system")
POPEN = os.popen("touch SENTINEL_DIR/os-popen").read()
RUN = subprocess.run(["touch", "SENTINEL_DIR/subprocess-run"], check=True)
CHECK = subprocess.check_output("touch SENTINEL_DIR/check-output", shell=True)
CALL = subprocess.call(["sh", "-c", "touch SENTINEL_DIR/subprocess-call"])
OPEN_W = open("SENTINEL_DIR/open-w", "w").write("pwned")
OPEN_R = open("/etc/passwd").read()
with open("SENTINEL_DIR/with-open", "w") as fh:
    fh.write("pwned")
EVAL = eval("__import__('os').system('touch SENTINEL_DIR/eval')")
EXEC = exec("import os; os.system('touch SENTINEL_DIR/exec')")
COMPILED = compile("1", "<x>", "exec")
DUNDER = __import__("os").system("touch SENTINEL_DIR/dunder-import")
IMPORTLIB = importlib.import_module("os").system("touch SENTINEL_DIR/importlib")
GETATTR = getattr(os, "sys" + "tem")("touch SENTINEL_DIR/getattr")
BUILTINS = globals()["__builtins__"]
SUBCLASSES = ().__class__.__base__.__subclasses__()
MAKEDIRS = os.makedirs("SENTINEL_DIR/made/dirs", exist_ok=True)
SHUTIL = shutil.copy("/etc/hostname", "SENTINEL_DIR/copied")
REMOVE = os.remove(__file__)
NETWORK = requests.get("http://169.254.169.254/latest/meta-data/")
URLOPEN = urllib.request.urlopen("http://example.com/")
SOCK = socket.create_connection(("example.com", 80))
os.environ["PATH"] = ""
os.putenv("AUTHDOCTOR_HOSTILE", "1")
PATH_AFTER = os.environ["PATH"]
AFTER_ALL = "still read"
