#!/usr/bin/env python3
"""Writes a deterministic, source-like tree for the scanner benchmark (bench/scanner.sh).

usage: scanner_tree.py DIR SIZE_MIB SEED

Mixed languages and sizes (log-normal, 200 B .. 2 MiB), ~3% minified one-line JavaScript bundles,
near-misses everywhere (git SHAs, UUIDs, 32-hex without a datacenter), and a few planted keys made
from the seed (never a literal). Prints one line: files bytes planted_marketing planted_transactional.
"""
import os
import random
import sys

HEX = "0123456789abcdef"
KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WORDS = ("user account list member campaign report total count value index item config handler request response "
         "client server cache buffer stream reader writer token session error result status query order field").split()


def ident(r):
    return r.choice(WORDS) + r.choice(WORDS).capitalize() + (str(r.randrange(10)) if r.random() < 0.2 else "")


def hexs(r, n):
    return "".join(r.choices(HEX, k=n))


def near_miss(r):
    kind = r.randrange(4)
    if kind == 0:
        return hexs(r, 40)  # a git SHA
    if kind == 1:
        return f"{hexs(r, 8)}-{hexs(r, 4)}-{hexs(r, 4)}-{hexs(r, 4)}-{hexs(r, 12)}"  # a UUID
    if kind == 2:
        return hexs(r, 32)  # an MD5, no datacenter
    return hexs(r, 32) + "-usa"  # not a datacenter


def line_pool(r, lang, count):
    lines = []
    for _ in range(count):
        a, b, c = ident(r), ident(r), ident(r)
        n = r.randrange(1000)
        roll = r.random()
        if roll < 0.05:
            s = near_miss(r)
        else:
            s = " ".join(r.choices(WORDS, k=r.randrange(1, 6)))
        indent = " " * (4 * r.randrange(4))
        if lang == "py":
            line = r.choice([f"{a} = {b}.{c}({n}, '{s}')", f"def {a}({b}, {c}=None):", f"    return {a}[{n}] + {b}",
                             f"# {s}", f"if {a} is not None and {b} > {n}:", f"import {a}.{b}"])
        elif lang in ("js", "ts"):
            line = r.choice([f"const {a} = await {b}.{c}({n}, \"{s}\");", f"function {a}({b}, {c}) {{", "}",
                             f"// {s}", f"export const {a} = {{ {b}: {n}, {c}: '{s}' }};", f"if ({a} && {b}.length > {n}) return {c};"])
        elif lang == "go":
            line = r.choice([f"{a} := {b}.{c}({n}, \"{s}\")", f"func {a}({b} int, {c} string) error {{", "}",
                             f"// {s}", f"if err != nil {{ return fmt.Errorf(\"{s}: %w\", err) }}"])
        elif lang in ("java", "cs"):
            line = r.choice([f"var {a} = {b}.{c}({n}, \"{s}\");", f"public {a.capitalize()} {b}(int {c}) {{", "}",
                             f"// {s}", f"private static readonly string {a} = \"{s}\";"])
        elif lang == "md":
            line = r.choice([f"## {s}", f"The {a} calls `{b}` with {n} {s}.", f"- {s}", ""])
        elif lang == "json":
            line = f"  \"{a}\": \"{s}\","
        else:  # yaml
            line = f"{a}: {s}"
        lines.append(indent + line if lang not in ("md", "json", "yaml") else line)
    return lines


def main():
    out, size_mib, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    langs = ["py", "js", "ts", "go", "java", "cs", "md", "json", "yaml"]
    pools = {lang: line_pool(r, lang, 4000) for lang in langs}
    target = size_mib * 1024 * 1024
    written = files = 0
    plants = {"marketing": 0, "transactional": 0}
    plant_every = max(1, target // 40)  # about 40 planted keys, whatever the size
    next_plant = plant_every
    while written < target:
        minified = r.random() < 0.03
        lang = "js" if minified else r.choice(langs)
        size = min(int(r.lognormvariate(9.2, 1.3)), 2 * 1024 * 1024) if not minified else r.randrange(200_000, 2_000_000)
        size = max(200, min(size, target - written + 200))
        pool = pools[lang]
        parts, length = [], 0
        while length < size:
            chunk = r.choices(pool, k=64)
            parts.extend(chunk)
            length += sum(len(x) + 1 for x in chunk)
        text = (";" if minified else "\n").join(parts)[:size]
        if written + len(text) >= next_plant:
            next_plant += plant_every
            if r.random() < 0.7:
                key, kind = hexs(r, 32) + "-us" + str(r.randrange(1, 22)), "marketing"
            else:
                key, kind = "md-" + "".join(r.choices(KEY_CHARS, k=22)), "transactional"
            at = r.randrange(len(text))
            text = text[:at] + (" \"" if minified else "\nkey = \"") + key + ("\" " if minified else "\"\n") + text[at:]
            plants[kind] += 1
        d = os.path.join(out, f"pkg{files % 97:02d}", f"mod{(files // 97) % 23:02d}")
        os.makedirs(d, exist_ok=True)
        name = f"{ident(r)}{files}.min.js" if minified else f"{ident(r)}{files}.{lang}"
        data = text.encode()
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        written += len(data)
        files += 1
    print(files, written, plants["marketing"], plants["transactional"])


if __name__ == "__main__":
    main()
