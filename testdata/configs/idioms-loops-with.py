# for over literals, while (not run), with, pass, global at module level.
# expect-unresolved: RETRIES: while loop
# expect-unresolved: ATTEMPTS: while loop
PROVIDERS = []
for name, icon in [("google", "fa-google"), ("github", "fa-github"), ("azure", "fa-windows")]:
    if name == "github":
        continue
    PROVIDERS.append({"name": name, "icon": icon, "token_key": "access_token"})
else:
    LOOP_DONE = True

for i in range(10):
    if i == 3:
        FOUND = i
        break
else:
    FOUND = None

TOTAL = 0
for n in (1, 2, 3):
    TOTAL += n

KEYS = []
for k in {"x": 1, "y": 2}:
    KEYS.append(k)

RETRIES = 0
ATTEMPTS = []
while RETRIES < 3:
    RETRIES += 1
    ATTEMPTS.append(RETRIES)

global SOMETHING
SOMETHING = "global at module level is a no-op"

if True:
    pass

for _ in []:
    NEVER = True
