# %-formatting and str.format.
HOST = "airflow.example.com"
PORT = 443
PCT = "https://%s:%d/home" % (HOST, PORT)
PCT_SINGLE = "host=%s" % HOST
PCT_DICT = "%(host)s:%(port)05d" % {"host": HOST, "port": PORT}
PCT_FLOAT = "%.3f|%8.2f|%-8.2f|%e|%g" % (3.14159, 2.5, 2.5, 12345.678, 0.00001)
PCT_REPR = "%r and %s" % ("quoted", None)
PCT_PCT = "100%% sure %s" % "yes"
PCT_HEX = "%x %X %#x %o %5d|%-5d|%05d" % (255, 255, 255, 8, 42, 42, 42)
FMT = "{}://{}:{}".format("https", HOST, PORT)
FMT_INDEX = "{0}-{1}-{0}".format("a", "b")
FMT_NAMED = "{scheme}://{host}".format(scheme="https", host=HOST)
FMT_SPEC = "{:>10}|{:<5}|{:^9}|{:.2f}|{:,}".format("r", "l", "c", 2.71828, 1234567)
FMT_ATTR = "{0[0]}{0[1]} {d[k]}".format(["x", "y"], d={"k": "v"})
FMT_CONV = "{!r} {!s}".format("a", 1)
FMT_BRACES = "{{}} {}".format(1)
FMT_MAP = "{a}{b}".format_map({"a": 1, "b": 2})
FMT_NESTED = "{:{w}}|".format("x", w=4)
TEMPLATE = "postgresql://{user}:{password}@{host}/{db}"
DB_URI = TEMPLATE.format(user="airflow", password="airflow", host="postgres", db="airflow")
