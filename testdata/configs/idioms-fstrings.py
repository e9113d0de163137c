# f-strings: nesting, conversions, format specs, debug specifier.
NAME = "azure"
TENANT = "9a95fd9e-005d-487a-9a01-d08c1eab2757"
PORT = 8080
RATIO = 0.123456
URL = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize"
NESTED = f"{'x' + f'{PORT}'}"
CONV = f"{NAME!r} {NAME!s} {NAME!a} {'é'!a}"
SPECS = f"{PORT:>8}|{PORT:<6}|{PORT:^7}|{PORT:08d}|{PORT:,}|{PORT:x}|{PORT:#o}|{RATIO:.2%}|{RATIO:.3f}|{RATIO:e}"
WIDTH = 10
NESTED_SPEC = f"{NAME:>{WIDTH}}|{RATIO:.{2}f}"
DEBUG = f"{PORT=}"
DEBUG_SPACES = f"{PORT = }"
DEBUG_SPEC = f"{RATIO=:.2f}"
BRACES = f"{{literal}} {PORT}"
EXPR = f"{PORT + 1} {NAME.upper()} {[1, 2][0]} {dict(a=1)['a']}"
TRIPLE_F = f"""multi
{NAME}
line"""
RAW_F = rf"\d{PORT}"
FR_F = fR"{NAME}\n"
CONCAT = f"{NAME}" "-" f"{PORT}"
COND = f"{'https' if PORT == 443 else 'http'}://host:{PORT}"
FLOAT_DEFAULT = f"{1.0} {1e20} {0.1}"
GROUPED = f"{1234567.891:,.2f} {1234567:_}"
SIGNED = f"{5:+} {-5:+} {5: } {-3.5:+.1f}"
ALIGN_FILL = f"{'x':*^9}|{42:0>5}|{-42:=6}"
GENERAL = f"{1234.5:g}|{0.00001234:g}|{123456789:g}|{1.0:g}|{1.5:.3}"
