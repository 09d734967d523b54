"""PyGithub (Debian's python3-github) against Tessera, driven by test/e2e/pygithub.test.ts.

Usage: pygithub-client.py BASE_URL TOKEN NAME. Prints one line per step, `step<TAB>json`, for the test to compare.
"""
import json
import sys

import github

base_url, token, name = sys.argv[1:4]
client = github.Github(base_url=base_url, login_or_token=token)


def say(step, value):
    print(f"{step}\t{json.dumps(value)}", flush=True)


user = client.get_user()
say("login", user.login)
repository = user.create_repo(name, private=True, description="made by PyGithub")
say("created", {"full_name": repository.full_name, "private": repository.private,
                "description": repository.description, "clone_url": repository.clone_url})
say("listed", sorted(listed.full_name for listed in user.get_repos()))
say("fetched", client.get_repo(f"{user.login}/{name}").full_name)
repository.delete()
try:
    client.get_repo(f"{user.login}/{name}")
    say("after delete", "still there")
except github.UnknownObjectException as error:
    say("after delete", error.status)
say("listed after delete", sorted(listed.full_name for listed in user.get_repos()))
