#!/usr/bin/env python3
"""Reads the module registry (modules.bzl) for the tools, and checks that it is complete.

modules.bzl is the one declaration of every allocator module; the BUILD files load it, and the
Python and shell tools read it through this script, which parses the same file (it is a literal
that is valid Starlark and valid Python), so no tool keeps a copy.

Usage (from the repository root, or with --root):
  tools/registry.py json            the registry as JSON: {"common_headers": [...], "modules": {...}}
  tools/registry.py sources         every module's sources, in dist order, one per line
  tools/registry.py check           exit 1 unless the tree and the registry agree (below)
  tools/registry.py selftest        the check fails on each kind of incomplete tree (run on copies)

The check (//tests:registry_test runs it, and its selftest) fails when
  - a source in src/, a public header in include/, a unit test in tests/, a fuzz target in fuzz/
    or a mutant in proofs/mutants/ belongs to no registered module;
  - a registered module lacks one of its pieces: sources, header, specs, unit tests, proof (WP
    cache in proofs/sessions/<module>/ and its table in docs/proofs.md, every trusted function
    named in docs/proofs.md), mutants (proofs/mutants/<module>_<defect>.json), fuzz target (with
    its model and corpus), benchmark adapter, dist entry (its files in dist/, its scenarios in
    tests/release/dist_firmware_<module>.c) or requirements (docs/requirements/<module>.md);
  - a file in docs/requirements/ belongs to no registered module;
  - an entry has other fields than the others, or a dependency that is not registered before it;
  - docs/adding_an_allocator.md does not describe every field of an entry.
"""

import argparse
import ast
import glob
import json
import os
import re
import shutil
import sys
import tempfile

REGISTRY = "modules.bzl"
CHECKLIST = "docs/adding_an_allocator.md"


def load(root):
    """(common_headers, modules) of modules.bzl; modules is an ordered dict name -> entry."""
    with open(os.path.join(root, REGISTRY), encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), REGISTRY)
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values["COMMON_HEADERS"], values["MODULES"]


def load_value(root, name, default):
    """One more top-level list of modules.bzl, or `default` where it has none."""
    with open(os.path.join(root, REGISTRY), encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), REGISTRY)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    return default


def exists(root, path):
    return os.path.isfile(os.path.join(root, path))


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as handle:
        return handle.read()


def relative_glob(root, pattern):
    return sorted(os.path.relpath(path, root) for path in glob.glob(os.path.join(root, pattern),
                                                                     recursive=True))


def check(root):
    """The list of problems of the tree at `root` (empty: the registry is complete)."""
    problems = []
    try:
        common_headers, modules = load(root)
    except (OSError, SyntaxError, ValueError, KeyError) as error:
        return ["%s cannot be read: %s" % (REGISTRY, error)]

    def need(condition, message):
        if not condition:
            problems.append(message)

    fields = None
    for name, module in modules.items():
        if fields is None:
            fields = sorted(module)
        need(sorted(module) == fields, "module %s has the fields %s, the others %s" %
             (name, sorted(module), fields))

    # Everything in the tree that is a module's belongs to a registered one.
    sources = {source for module in modules.values() for source in module.get("sources", [])}
    for path in relative_glob(root, "src/*.c"):
        need(path in sources, "%s is in src/ but belongs to no module of %s" % (path, REGISTRY))
    headers = {module.get("header") for module in modules.values()} | set(common_headers)
    for path in relative_glob(root, "include/**/*.h"):
        need(path in headers, "%s is in include/ but belongs to no module of %s (nor to "
             "COMMON_HEADERS)" % (path, REGISTRY))
    # Tests of several modules at once (tests/BUILD builds them by name) count as registered.
    tests = {test for module in modules.values() for test in module.get("unit_tests", [])}
    tests |= set(load_value(root, "CROSS_MODULE_TESTS", []))
    for path in relative_glob(root, "tests/*_test.c"):
        need(os.path.basename(path)[:-2] in tests,
             "%s is not a unit test of any module of %s, so no BUILD file builds it" %
             (path, REGISTRY))
    for path in relative_glob(root, "fuzz/*_fuzzer.c"):
        need(os.path.basename(path)[:-len("_fuzzer.c")] in modules,
             "%s is the fuzz target of no module of %s" % (path, REGISTRY))
    for path in relative_glob(root, "proofs/mutants/*.json"):
        stem = os.path.basename(path)[:-len(".json")]
        owner = [name for name in modules if stem.startswith(name + "_")]
        need(owner, "mutant %s is not named <module>_<defect> after a module of %s" %
             (path, REGISTRY))
        try:
            spec = json.loads(read(root, path))
        except (OSError, ValueError) as error:
            problems.append("mutant %s cannot be read: %s" % (path, error))
            continue
        need(spec.get("name") == stem, "mutant %s is named %r inside" % (path, spec.get("name")))
        if owner:
            need(spec.get("file") in modules[owner[0]]["sources"],
                 "mutant %s changes %s, which is not a source of module %s" %
                 (path, spec.get("file"), owner[0]))

    proofs_doc = read(root, "docs/proofs.md") if exists(root, "docs/proofs.md") else ""
    dist_c = read(root, "dist/veralloc.c") if exists(root, "dist/veralloc.c") else ""
    dist_h = read(root, "dist/veralloc.h") if exists(root, "dist/veralloc.h") else ""
    prefixes = set()
    seen = []
    for name, module in modules.items():
        where = "module %s (%s)" % (name, REGISTRY)
        for dep in module.get("deps", []):
            need(dep in seen, "%s: depends on %s, which is not registered before it (the "
                 "registry is in dist order)" % (where, dep))
        seen.append(name)
        for path in module.get("sources", []) + [module.get("header"), module.get("specs")]:
            need(path and exists(root, path), "%s: %s does not exist" % (where, path))
        need(module.get("sources"), "%s: no sources" % where)
        need(module.get("unit_tests"), "%s: no unit test" % where)
        for test in module.get("unit_tests", []):
            need(exists(root, "tests/%s.c" % test), "%s: unit test tests/%s.c does not exist" %
                 (where, test))
        # The proof: its committed WP cache, its generated table, its trusted functions listed.
        need(relative_glob(root, "proofs/sessions/%s/cache/*.json" % name),
             "%s: no WP cache in proofs/sessions/%s/ (bazel run //proofs:update)" % (where, name))
        need("<!-- BEGIN GENERATED: %s " % name in proofs_doc,
             "%s: no table in docs/proofs.md (bazel run //proofs:update)" % where)
        for function in module.get("proof", {}).get("skip", []):
            need("`%s`" % function in proofs_doc, "%s: trusted function %s is not listed in "
                 "docs/proofs.md" % (where, function))
        need(relative_glob(root, "proofs/mutants/%s_*.json" % name),
             "%s: no mutant proofs/mutants/%s_<defect>.json" % (where, name))
        # The fuzz target, its reference model and its corpus.
        extra = module.get("fuzzer", {}).get("extra_srcs", [])
        for path in ["%s_fuzzer.c" % name, "%s_model.c" % name, "%s_model.h" % name] + extra:
            need(exists(root, "fuzz/" + path), "%s: fuzz/%s does not exist" % (where, path))
        need(relative_glob(root, "fuzz/corpus/%s_fuzzer/inputs/*" % name),
             "%s: empty corpus fuzz/corpus/%s_fuzzer/inputs/" % (where, name))
        need(exists(root, "fuzz/corpus/%s_fuzzer/%s_fuzzer.dict" % (name, name)),
             "%s: no dictionary fuzz/corpus/%s_fuzzer/%s_fuzzer.dict" % (where, name, name))
        adapter = module.get("bench_adapter") or ""
        # BENCH_REGISTER_ALLOCATOR or, for an allocator with realloc, ..._WITH_REALLOC (bench/firmware/bench.h).
        need(exists(root, adapter) and re.search(r"\bBENCH_REGISTER_ALLOCATOR(_WITH_REALLOC)?\(", read(root, adapter)),
             "%s: benchmark adapter %r does not exist or registers no allocator" %
             (where, adapter))
        # The two-file distribution and its firmware.
        for path in module.get("sources", []):
            need("======== begin %s ========" % path in dist_c,
                 "%s: %s is not in dist/veralloc.c (tools/amalgamate)" % (where, path))
        need("======== begin %s ========" % module.get("header") in dist_h,
             "%s: %s is not in dist/veralloc.h (tools/amalgamate)" % (where, module.get("header")))
        need(module.get("dist_scenarios"), "%s: no dist firmware scenario" % where)
        firmware_path = "tests/release/dist_firmware_%s.c" % name
        firmware = read(root, firmware_path) if exists(root, firmware_path) else ""
        for scenario in module.get("dist_scenarios", {}):
            function = "void dist_firmware_scenario_%s(void)" % scenario.replace("-", "_")
            need(function in firmware, "%s: %s does not define %s" %
                 (where, firmware_path, function))
        # The requirements: the module's own file, whose title names the header, with
        # requirements of the module's prefix and no other.
        prefix = module.get("requirements")
        prefixes.add(prefix)
        requirements_path = "docs/requirements/%s.md" % name
        requirements = read(root, requirements_path) if exists(root, requirements_path) else ""
        need(re.search(r"^# .*`%s`" % re.escape(module.get("header", "")), requirements, re.M),
             "%s: %s is missing or its title (# ...) does not name `%s`" %
             (where, requirements_path, module.get("header", "")))
        need(re.search(r"\bREQ-%s-\d{3}\b" % re.escape(str(prefix)), requirements),
             "%s: %s has no requirement REQ-%s-NNN" % (where, requirements_path, prefix))
        for other in sorted(set(re.findall(r"\|\s*REQ-([A-Z0-9]+)-\d{3}\s*\|", requirements)) - {prefix}):
            problems.append("%s holds requirements REQ-%s-NNN, not of module %s (REQ-%s)" %
                            (requirements_path, other, name, prefix))
    for path in relative_glob(root, "docs/requirements/*.md"):
        need(os.path.splitext(os.path.basename(path))[0] in modules,
             "%s belongs to no module of %s" % (path, REGISTRY))

    # The checklist describes every field, and only those.
    checklist = read(root, CHECKLIST) if exists(root, CHECKLIST) else ""
    documented = set(re.findall(r"^\| `(\w+)` \|", checklist, re.M))
    for field in sorted(set(fields or []) - documented):
        problems.append("%s does not describe the registry field `%s`" % (CHECKLIST, field))
    for field in sorted(documented - set(fields or [])):
        problems.append("%s describes a registry field `%s` that entries do not have" %
                        (CHECKLIST, field))
    return problems


def selftest(root):
    """Each kind of incompleteness is found in a copy of the tree; the intact copy passes."""
    def remove(path):
        def apply(tree):
            os.remove(os.path.join(tree, path))
        return apply

    def append(path, text):
        def apply(tree):
            with open(os.path.join(tree, path), "a", encoding="utf-8") as handle:
                handle.write(text)
        return apply

    def edit(path, old, new, count=1):
        def apply(tree):
            text = read(tree, path)
            assert old in text, "selftest: %r not in %s" % (old, path)
            with open(os.path.join(tree, path), "w", encoding="utf-8") as handle:
                handle.write(text.replace(old, new, count))
        return apply

    _, modules = load(root)
    name = sorted(modules)[-1]
    module = modules[name]
    cases = {
        "unregistered source": (append("src/zz_new.c", "int x;\n"), "src/zz_new.c"),
        "unregistered header": (append("include/veralloc/zz_new.h", "\n"), "zz_new.h"),
        "unregistered unit test": (append("tests/zz_new_test.c", "\n"), "zz_new_test.c"),
        "unregistered fuzz target": (append("fuzz/zz_new_fuzzer.c", "\n"), "zz_new_fuzzer.c"),
        "missing unit test": (remove("tests/%s.c" % module["unit_tests"][0]), "unit test"),
        "missing fuzz model": (remove("fuzz/%s_model.c" % name), "_model.c"),
        "missing adapter": (remove(module["bench_adapter"]), "benchmark adapter"),
        "missing mutants": (lambda tree: [os.remove(p) for p in glob.glob(
            os.path.join(tree, "proofs/mutants/%s_*.json" % name))], "no mutant"),
        "missing proof cache": (lambda tree: shutil.rmtree(
            os.path.join(tree, "proofs/sessions", name)), "no WP cache"),
        "missing proof table": (edit("docs/proofs.md", "<!-- BEGIN GENERATED: %s " % name,
                                     "<!-- BEGIN: %s " % name), "no table"),
        "missing dist scenario": (remove("tests/release/dist_firmware_%s.c" % name),
                                  "dist_firmware_scenario_"),
        "missing dist entry": (edit("dist/veralloc.c", "======== begin %s" % module["sources"][0],
                                    "======== start %s" % module["sources"][0]), "dist/veralloc.c"),
        # Every requirement of the module renamed to another prefix: none of its own is left.
        "missing requirements": (edit("docs/requirements/%s.md" % name,
                                      "REQ-%s-" % module["requirements"], "REQ-XX-", -1),
                                 "has no requirement REQ-%s-NNN" % module["requirements"]),
        "unregistered requirements file": (append("docs/requirements/zz_new.md", "# x\n"),
                                           "docs/requirements/zz_new.md"),
        "undocumented field": (edit(CHECKLIST, "| `fuzzer` |", "| fuzzer |"), "`fuzzer`"),
        "unregistered dependency": (edit(REGISTRY, '"deps": []', '"deps": ["nothing"]'),
                                    "nothing"),
    }
    status = 0
    with tempfile.TemporaryDirectory(prefix="registry-selftest-") as work:
        intact = os.path.join(work, "intact")
        shutil.copytree(root, intact, ignore=shutil.ignore_patterns("bazel-*", ".git"))
        problems = check(intact)
        if problems:
            print("FAIL: the intact tree does not pass: %s" % problems)
            status = 1
        else:
            print("PASS: the intact tree passes")
        for case, (apply, expected) in sorted(cases.items()):
            tree = os.path.join(work, re.sub(r"\W", "_", case))
            shutil.copytree(intact, tree)
            apply(tree)
            problems = check(tree)
            if any(expected in problem for problem in problems):
                print("PASS: %s is found" % case)
            else:
                print("FAIL: %s is not found (%s)" % (case, problems))
                status = 1
            shutil.rmtree(tree)
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("command", choices=["json", "sources", "check", "selftest"])
    arguments = parser.parse_args()
    root = arguments.root
    if arguments.command == "json":
        common_headers, modules = load(root)
        json.dump({"common_headers": common_headers, "modules": modules}, sys.stdout, indent=1)
        print()
        return 0
    if arguments.command == "sources":
        for module in load(root)[1].values():
            for source in module["sources"]:
                print(source)
        return 0
    if arguments.command == "selftest":
        return selftest(root)
    problems = check(root)
    for problem in problems:
        print("FAIL: " + problem)
    if not problems:
        print("PASS: %d modules registered, each with all its pieces (%s)" %
              (len(load(root)[1]), ", ".join(load(root)[1])))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
