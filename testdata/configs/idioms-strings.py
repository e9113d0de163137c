# String literal forms: prefixes, quotes, escapes, concatenation, continuation.
PLAIN = 'single' + "double"
TRIPLE = """triple
with "quotes" and 'apostrophes'"""
TRIPLE_SINGLE = '''another
block'''
RAW = r"C:\temp\new\x"
RAW_UPPER = R'\d+\.\d+'
BYTES_DECODED = b"bytes \x41\101".decode()
RAW_BYTES = rb"\x00".decode("ascii")
BR_BYTES = Br"\n".decode()
UNICODE = u"caf\u00e9 \U0001F600 \N{EM DASH} \xe9"
ESCAPES = "tab\tnewline\nquote\"backslash\\bell\a\x7fnul\0end"
OCTAL = "\101\102\103\7"
UNKNOWN_ESCAPE = "\d\q"
IMPLICIT = "https://login.microsoftonline.com/" "common" '/v2.0'
IMPLICIT_PARENS = (
    "openid "
    "email "  # comment between parts
    "profile"
)
CONTINUED = "a" + \
    "b" + \
    "c"
LONG_LINE = "x" \
            "y"
NON_ASCII = "Grüße, 日本語, emoji 🎉"
EMPTY = ""
JOINED = ", ".join(["a", "b", "c"])
MULTILINE_DEDENT = """\
first line
  second line
"""
LEN_UNICODE = len("日本語")
INDEX_UNICODE = "日本語"[1]
SLICED = "abcdefgh"[1:6:2]
REVERSED = "abc"[::-1]
NEG_INDEX = "abc"[-1]
CRLF_ESCAPE = "line1\r\nline2"
SEMI = 1; SEMI2 = 2
