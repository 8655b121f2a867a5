"""The installed Stepwise, checked from the outside (installer/packaging.cmake).

  test_install.py tree --build-dir B --version V --cmake CMAKE [--gui]
      `cmake --install B --prefix <tmp>`: exactly the expected files with the right modes,
      no path into the source or build tree inside the binaries, the .desktop entry and
      the AppStream metadata pass their validators, the MIME package compiles, the
      installed stepwise-cli reports V and trains and predicts on builtin:iris, and the
      installed wizard runs its demo.
  test_install.py deb --build-dir B --version V --cpack CPACK [--gui]
      cpack into a temporary folder; the .deb's control fields and contents; then
      `apt-get install ./stepwise_V_ARCH.deb` (root, or sudo without a password), the
      same run of /usr/bin/stepwise-cli, and `apt-get remove` again so the machine is
      left as it was. Exits 77 (skipped) when it may not install packages.
"""
import argparse
import csv
import io
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

APP_ID = "io.github.stepwise.Stepwise"
SKIPPED = 77

# Relative to the prefix; True marks an executable.
CLI_FILES = {
    "bin/stepwise-cli": True,
    "share/mime/packages/stepwise.xml": False,
    "share/doc/stepwise/README.md": False,
}
GUI_FILES = {
    "bin/stepwise": True,
    "share/applications/stepwise.desktop": False,
    "share/icons/hicolor/scalable/apps/stepwise.svg": False,
    "share/icons/hicolor/256x256/apps/stepwise.png": False,
    "share/metainfo/" + APP_ID + ".metainfo.xml": False,
}

# Rows whose species no reasonable model gets wrong, without the target column.
NEW_IRIS_ROWS = [
    ("5.1", "3.5", "1.4", "0.2", "setosa"),
    ("4.9", "3.0", "1.4", "0.2", "setosa"),
    ("7.0", "3.2", "4.7", "1.4", "versicolor"),
    ("5.7", "2.8", "4.1", "1.3", "versicolor"),
    ("6.3", "3.3", "6.0", "2.5", "virginica"),
    ("7.7", "3.0", "6.1", "2.3", "virginica"),
]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, timeout=600, env=None, cwd=None):
    """Runs a command; a non-zero exit is a failure that shows its output."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                            env=env, cwd=cwd)
    if result.returncode != 0:
        raise Failure("`%s` exited with %d\nstdout:\n%s\nstderr:\n%s"
                      % (" ".join(map(str, args)), result.returncode, result.stdout, result.stderr))
    return result


def expected_files(gui):
    files = dict(CLI_FILES)
    if gui:
        files.update(GUI_FILES)
    return files


def check_tree(prefix, gui):
    """Exactly the expected files, executables 0755 and the rest 0644."""
    expected = expected_files(gui)
    found = set()
    for root, _, names in os.walk(prefix):
        for name in names:
            found.add(os.path.relpath(os.path.join(root, name), prefix))
    check(found == set(expected),
          "installed files differ from the expected layout\nmissing: %s\nunexpected: %s"
          % (sorted(set(expected) - found), sorted(found - set(expected))))
    for relative, executable in expected.items():
        mode = stat.S_IMODE(os.stat(os.path.join(prefix, relative)).st_mode)
        check(mode == (0o755 if executable else 0o644), "%s has mode %o" % (relative, mode))
    print("install: %d files, modes right" % len(expected))


def check_no_tree_paths(prefix, gui, source_dir, build_dir):
    """The binaries must not name a file of the source or build tree: whatever they would
    read there is missing on every other machine. Source file names (assertion messages
    of Debug builds) are not read at run time and are allowed."""
    for relative, executable in expected_files(gui).items():
        if not executable:
            continue
        with open(os.path.join(prefix, relative), "rb") as f:
            content = f.read()
        for tree in (source_dir, build_dir):
            pattern = re.escape(os.fsencode(tree)) + rb"[^\x00\n\"']*"
            paths = {m.group(0).decode(errors="replace") for m in re.finditer(pattern, content)}
            read_at_run_time = sorted(p for p in paths if not re.search(r"\.(cpp|hpp|h|cc|hh|ipp)$", p))
            check(not read_at_run_time, "%s names %s — it would read from the build machine at run time"
                  % (relative, ", ".join(read_at_run_time)))
    print("binaries: no file of %s or %s named" % (source_dir, build_dir))


def check_png_header(path):
    with open(path, "rb") as f:
        header = f.read(24)
    check(header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", path + " is not a PNG")
    return struct.unpack(">II", header[16:24])


def check_png(path, size):
    width, height = check_png_header(path)
    check((width, height) == (size, size), "%s is %dx%d, not %dx%d" % (path, width, height, size, size))


def read_desktop_entry(path):
    entry = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                entry[key] = value
    return entry


def validate_desktop_files(share, gui):
    """desktop-file-validate, appstreamcli and update-mime-database on the installed files."""
    for tool, package in (("desktop-file-validate", "desktop-file-utils"), ("appstreamcli", "appstream"),
                          ("update-mime-database", "shared-mime-info")):
        check(shutil.which(tool) is not None, "%s is missing — install the Debian package %s "
              "(installer/install-deps.sh)" % (tool, package))
    if gui:
        desktop = os.path.join(share, "applications", "stepwise.desktop")
        result = run(["desktop-file-validate", desktop])
        # Hints are advice; errors and warnings fail (the tool exits 0 on warnings).
        problems = [l for l in result.stdout.splitlines() if ": error: " in l or ": warning: " in l]
        check(not problems, "desktop-file-validate:\n" + result.stdout)
        print("desktop-file-validate: ok%s" % ("" if not result.stdout.strip() else "\n" + result.stdout.strip()))
        entry = read_desktop_entry(desktop)
        check(entry.get("Exec") == "stepwise %f", "Exec is %r" % entry.get("Exec"))
        check(entry.get("Icon") == "stepwise", "Icon is %r" % entry.get("Icon"))
        mime_types = set(filter(None, entry.get("MimeType", "").split(";")))
        check({"application/x-stepwise-project", "application/x-stepwise-model"} <= mime_types,
              "MimeType is %r" % entry.get("MimeType"))

        metainfo = os.path.join(share, "metainfo", APP_ID + ".metainfo.xml")
        result = run(["appstreamcli", "validate", "--no-net", "--no-color", metainfo])
        print("appstreamcli validate: " + " | ".join(l for l in result.stdout.splitlines() if l.strip()))
        with open(metainfo, encoding="utf-8") as f:
            text = f.read()
        check("<id>%s</id>" % APP_ID in text, "metainfo id is not " + APP_ID)
        check('<launchable type="desktop-id">stepwise.desktop</launchable>' in text,
              "metainfo does not launch stepwise.desktop")
        check("@" not in re.sub(r"<!--.*?-->", "", text, flags=re.S), "metainfo has an unconfigured @VARIABLE@")
        check_png(os.path.join(share, "icons", "hicolor", "256x256", "apps", "stepwise.png"), 256)

    # Compile the MIME package into a scratch database the way the shared-mime-info
    # trigger does, and look for the globs and the magic bytes in what it wrote.
    with tempfile.TemporaryDirectory() as scratch:
        os.mkdir(os.path.join(scratch, "packages"))
        shutil.copy(os.path.join(share, "mime", "packages", "stepwise.xml"), os.path.join(scratch, "packages"))
        result = run(["update-mime-database", scratch])
        check("rror" not in result.stderr and "arning" not in result.stderr,
              "update-mime-database:\n" + result.stderr)
        with open(os.path.join(scratch, "globs2")) as f:
            globs = f.read()
        check("application/x-stepwise-model:*.stepwise\n" in globs, "no *.stepwise glob:\n" + globs)
        check("application/x-stepwise-project:*.stepwise-project\n" in globs, "no *.stepwise-project glob:\n" + globs)
        with open(os.path.join(scratch, "magic"), "rb") as f:
            magic = f.read()
        check(b"[60:application/x-stepwise-model]\n>0=\x00\x08STEPWISE" in magic,
              "no STEPWISE magic at offset 0: %r" % magic)
    print("MIME package: globs and magic compiled")


def check_binaries_run(bin_dir, version, gui, work):
    """--version, then a model trained and used by the installed CLI, from a folder
    outside both trees."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=work)
    cli = os.path.join(bin_dir, "stepwise-cli")
    out = run([cli, "--version"], env=env, cwd=work).stdout.strip()
    check(out == "stepwise-cli " + version, "%s --version printed %r, not 'stepwise-cli %s'" % (cli, out, version))
    print("%s --version: %s" % (cli, out))

    model = os.path.join(work, "iris.stepwise")
    run([cli, "train", "builtin:iris", "--target", "species", "--model", "decision_tree", "--seed", "42",
         "--out", model, "--quiet"], env=env, cwd=work)
    with open(model, "rb") as f:
        check(f.read(8) == b"STEPWISE", "the model file does not start with the magic bytes")

    rows = os.path.join(work, "new_rows.csv")
    with open(rows, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width"])
        writer.writerows(r[:4] for r in NEW_IRIS_ROWS)
    predictions = os.path.join(work, "predictions.csv")
    run([cli, "predict", model, rows, "--out", predictions, "--proba", "--quiet"], env=env, cwd=work)
    with open(predictions, newline="") as f:
        table = list(csv.DictReader(f))
    check([r["predicted"] for r in table] == [r[4] for r in NEW_IRIS_ROWS],
          "predicted %s for %s" % ([r["predicted"] for r in table], [r[4] for r in NEW_IRIS_ROWS]))
    for r in table:
        total = sum(float(r["proba_" + c]) for c in ("setosa", "versicolor", "virginica"))
        check(abs(total - 1.0) < 1e-9, "probabilities of row %s add up to %r" % (r["row"], total))

    # The whole builtin set through stdout: the bundled data is inside the binary.
    scored = run([cli, "predict", model, "builtin:iris", "--quiet"], env=env, cwd=work).stdout
    table = list(csv.DictReader(io.StringIO(scored)))
    check(len(table) == 150, "predicted %d rows of builtin:iris, not 150" % len(table))
    accuracy = sum(r["actual"] == r["predicted"] for r in table) / len(table)
    check(accuracy >= 0.95, "accuracy on builtin:iris is %.3f" % accuracy)
    print("train + predict with the installed CLI: %d/%d new rows right, %.3f on builtin:iris"
          % (len(NEW_IRIS_ROWS), len(NEW_IRIS_ROWS), accuracy))

    if gui:
        gui_binary = os.path.join(bin_dir, "stepwise")
        out = run([gui_binary, "--version"], env=env, cwd=work).stdout.strip()
        check(out == "Stepwise " + version, "%s --version printed %r" % (gui_binary, out))
        print("%s --version: %s" % (gui_binary, out))


def check_demo(bin_dir, work):
    """The installed wizard walks every step offscreen (fonts, icons and the bundled
    Titanic data all from the installed files); its model predicts with the CLI."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=work)
    shots = os.path.join(work, "shots")
    run([os.path.join(bin_dir, "stepwise"), "--demo", "--screenshots", shots], env=env, cwd=work, timeout=900)
    names = sorted(os.listdir(shots))
    for step in ("01-problem", "02-data", "03-prep", "04-features", "05-training", "06-evaluation", "07-export"):
        check(step + ".png" in names, "the demo wrote no %s.png: %s" % (step, names))
        check_png_header(os.path.join(shots, step + ".png"))
    model = os.path.join(shots, "demo.stepwise")
    scored = run([os.path.join(bin_dir, "stepwise-cli"), "predict", model, "builtin:titanic", "--quiet"],
                 env=env, cwd=work).stdout
    table = list(csv.DictReader(io.StringIO(scored)))
    accuracy = sum(r["actual"] == r["predicted"] for r in table) / max(len(table), 1)
    check(len(table) == 891 and accuracy >= 0.75,
          "the demo model predicted %d rows of builtin:titanic with accuracy %.3f" % (len(table), accuracy))
    print("installed wizard: demo wrote %d screenshots; its model scores %.3f on builtin:titanic"
          % (sum(n.endswith(".png") for n in names), accuracy))


def test_tree(args):
    with tempfile.TemporaryDirectory(prefix="stepwise-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        run([args.cmake, "--install", args.build_dir, "--prefix", prefix])
        check_tree(prefix, args.gui)
        check_no_tree_paths(prefix, args.gui, args.source_dir, args.build_dir)
        validate_desktop_files(os.path.join(prefix, "share"), args.gui)
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        check_binaries_run(os.path.join(prefix, "bin"), args.version, args.gui, work)
        if args.gui:
            check_demo(os.path.join(prefix, "bin"), work)


def privileged():
    """The command prefix that may run apt-get, or None."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def installed_version(package):
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", package], capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.startswith("install ok installed"):
        return None
    return result.stdout.split()[-1]


def check_control(deb, version, gui):
    fields = {}
    for name in ("Package", "Version", "Architecture", "Section", "Priority", "Maintainer", "Depends",
                 "Homepage", "Description", "Installed-Size"):
        fields[name] = run(["dpkg-deb", "-f", deb, name]).stdout.strip()
    print("control: " + "; ".join("%s: %s" % (k, v.splitlines()[0] if v else "") for k, v in fields.items()))
    print("Depends: " + fields["Depends"])
    check(fields["Package"] == "stepwise", "Package is %r" % fields["Package"])
    check(fields["Version"] == version, "Version is %r, not %r" % (fields["Version"], version))
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    check(fields["Architecture"] == arch, "Architecture is %r, not %r" % (fields["Architecture"], arch))
    check(fields["Section"] == "science", "Section is %r" % fields["Section"])
    check(re.fullmatch(r".+ <[^@\s]+@[^@\s]+>", fields["Maintainer"]) is not None,
          "Maintainer %r is not 'Name <address>'" % fields["Maintainer"])
    check(len(fields["Description"].splitlines()) > 1, "Description has no long description")
    depends = {d.strip().split(" ")[0] for d in fields["Depends"].replace("|", ",").split(",") if d.strip()}
    # What the binaries link whatever their features (found by dpkg-shlibdeps) and what
    # Qt dlopens (declared); check_depends_cover_links checks the rest library by library.
    wanted = {"libc6", "libstdc++6", "libgomp1", "libsqlite3-0", "libzip4", "libexpat1", "libboost-serialization1.74.0"}
    if gui:
        wanted |= {"qt6-qpa-plugins", "libqt6core6", "libqt6gui6", "libqt6widgets6", "libqt6charts6"}
    check(wanted <= depends, "Depends lacks %s: %s" % (sorted(wanted - depends), fields["Depends"]))
    return depends


def packages_linked(binary):
    """The Debian packages that ship the libraries `binary` links directly (its NEEDED
    entries, resolved the way the loader does)."""
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run(["readelf", "-d", binary]).stdout)
    resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", run(["ldd", binary]).stdout, flags=re.M))
    packages = set()
    for soname in needed:
        check(soname in resolved, "%s: the loader does not find %s" % (binary, soname))
        path = resolved[soname]
        # dpkg records a library under /lib or /usr/lib; merged /usr makes both paths work.
        candidates = [path, os.path.realpath(path)]
        candidates += [c[4:] if c.startswith("/usr/") else "/usr" + c for c in list(candidates)]
        owner = None
        for candidate in candidates:
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                owner = result.stdout.split(":")[0]
                break
        check(owner is not None, "%s links %s (%s), which no Debian package ships" % (binary, soname, path))
        packages.add(owner)
    return packages


def check_depends_cover_links(deb, depends, gui, tmp):
    """Every library the packaged binaries link comes from a package in Depends."""
    unpacked = os.path.join(tmp, "unpacked")
    run(["dpkg-deb", "-x", deb, unpacked])
    for relative, executable in expected_files(gui).items():
        if executable:
            linked = packages_linked(os.path.join(unpacked, "usr", relative))
            check(linked <= depends, "/usr/%s links libraries of %s, which Depends lacks"
                  % (relative, sorted(linked - depends)))
            print("/usr/%s links %d packages' libraries, all in Depends" % (relative, len(linked)))


def check_contents(deb, gui):
    """The package holds the install tree under /usr, owned by root, with the same modes."""
    listing = run(["dpkg-deb", "-c", deb]).stdout
    files = {}
    for line in listing.splitlines():
        parts = line.split(None, 5)
        mode, owner, path = parts[0], parts[1], parts[5]
        check(owner == "root/root", "%s is owned by %s" % (path, owner))
        if not mode.startswith("d"):
            files[path] = mode
    expected = {"./usr/" + relative: ("-rwxr-xr-x" if executable else "-rw-r--r--")
                for relative, executable in expected_files(gui).items()}
    check(files == expected, "package contents differ\nmissing or different: %s\nunexpected: %s"
          % (sorted(set(expected.items()) - set(files.items())), sorted(set(files.items()) - set(expected.items()))))
    print("contents: %d files under /usr, modes right" % len(files))


def test_deb(args):
    sudo = privileged()
    if sudo is None:
        print("skipped: installing the package needs root or sudo without a password")
        return SKIPPED
    before = installed_version("stepwise")
    if before is not None:
        print("skipped: stepwise %s is installed already; this test would replace it — "
              "`apt-get remove stepwise` first" % before)
        return SKIPPED

    with tempfile.TemporaryDirectory(prefix="stepwise-deb-") as tmp:
        # apt reads the local .deb as its unprivileged _apt user.
        os.chmod(tmp, 0o755)
        run([args.cpack, "--config", os.path.join(args.build_dir, "CPackConfig.cmake"), "-G", "DEB", "-B", tmp])
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        deb = os.path.join(tmp, "stepwise_%s_%s.deb" % (args.version, arch))
        check(os.path.isfile(deb), "cpack did not write %s: %s" % (deb, os.listdir(tmp)))
        print("package: %s, %.1f MB" % (os.path.basename(deb), os.path.getsize(deb) / 1e6))
        depends = check_control(deb, args.version, args.gui)
        check_contents(deb, args.gui)
        check_depends_cover_links(deb, depends, args.gui, tmp)

        apt = sudo + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", "DPkg::Lock::Timeout=600", "-y"]
        try:
            run(apt + ["install", "--no-install-recommends", deb], timeout=1800)
            check(installed_version("stepwise") == args.version,
                  "dpkg does not list stepwise %s as installed" % args.version)
            owned = set(run(["dpkg", "-L", "stepwise"]).stdout.split())
            for relative in expected_files(args.gui):
                check("/usr/" + relative in owned, "/usr/%s is not in the installed package" % relative)
            for relative, executable in expected_files(args.gui).items():
                if executable:
                    missing = [l for l in run(["ldd", "/usr/" + relative]).stdout.splitlines() if "not found" in l]
                    check(not missing, "/usr/%s: libraries not found: %s" % (relative, missing))
            work = os.path.join(tmp, "work")
            os.mkdir(work)
            check_binaries_run("/usr/bin", args.version, args.gui, work)
            # The shared-mime-info trigger compiled the types into the system database.
            if shutil.which("update-mime-database"):
                check(os.path.isfile("/usr/share/mime/application/x-stepwise-model.xml"),
                      "the MIME database has no application/x-stepwise-model after the install")
                print("system MIME database: application/x-stepwise-model and -project registered")
        finally:
            if installed_version("stepwise") is not None:
                run(apt + ["remove", "stepwise"], timeout=1800)
        check(installed_version("stepwise") is None, "stepwise is still installed after apt-get remove")
        check(not os.path.exists("/usr/bin/stepwise-cli"), "/usr/bin/stepwise-cli is left after apt-get remove")
        print("removed again")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["tree", "deb"])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--cmake")
    parser.add_argument("--cpack")
    parser.add_argument("--gui", action="store_true")
    args = parser.parse_args()
    args.build_dir = os.path.realpath(args.build_dir)
    args.source_dir = os.path.realpath(args.source_dir)
    try:
        if args.mode == "tree":
            test_tree(args)
            return 0
        return test_deb(args)
    except Failure as failure:
        print("FAIL: %s" % failure)
        return 1


if __name__ == "__main__":
    sys.exit(main())
