#!/usr/bin/env python3
"""Generation and compilation at scale.

Times, for the synthetic protocols of gen.py (N methods each):

- `write-schema` (the whole process, warm, into an empty folder) against
  `cp -r` of the tree it wrote; the same for this repository's own
  protocol (protocol-defs) with the release `codegen-cli`;
- `cargo build` of the synthetic crate written with our macros against the
  same types with plain serde/schemars/ts-rs derives and hand-written tag
  enums: wall time and peak memory (max RSS of rustc, from /usr/bin/time -v).

Dependencies are built first (with a 20-method protocol) and not timed;
each timed build compiles only the synthetic crate (CARGO_INCREMENTAL=0,
in the release profile unless --profile dev).

Usage (from the repository root):

    python3 bench/scale/run.py                 # N = 200
    python3 bench/scale/run.py --n 200 2000    # N = 2000 takes long and needs memory
    python3 bench/scale/run.py --only write-schema --n 200 2000
    python3 bench/scale/run.py --only build --crates ours --builds 1 --n 2000

--only picks the parts measured (protocol-defs, build, write-schema);
--crates the synthetic crates whose build is timed.

Work goes to --work (default /dev/shm/protocol-scale; the cargo target
folder to --target-dir, default WORK/target). It prints one
`ratio <name>=<value>` line per comparison at the end.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def sh(cmd, cwd=None, env=None, quiet=True):
    result = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.PIPE if quiet else None, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout or ''}{result.stderr or ''}")
    return result


def timed(cmd, cwd=None, env=None):
    start = time.perf_counter()
    sh(cmd, cwd=cwd, env=env)
    return time.perf_counter() - start


def write_schema_vs_copy(binary, args, work, runs, cwd):
    """Median seconds of `binary write-schema --out DIR` into an empty folder,
    and of `cp -r` of that folder."""
    out, copy = os.path.join(work, "out"), os.path.join(work, "copy")
    write, cp = [], []
    for _ in range(runs + 1):  # the first run warms caches and is dropped
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
        write.append(timed([binary, *args, "write-schema", "--out", out], cwd=cwd))
        cp.append(timed(["cp", "-r", out, copy]))
    files = sum(len(f) for _, _, f in os.walk(out))
    return statistics.median(write[1:]), statistics.median(cp[1:]), files


def cargo_build(profile):
    return ["cargo", "build", "-q"] + (["--release"] if profile == "release" else [])


def timed_build(work, crate, env, profile):
    """Wall seconds, peak RSS (MiB) and success of rebuilding only `crate`'s
    library. A build that fails (rustc killed for want of memory, say) is
    reported with the time and memory it took until then."""
    lib = os.path.join(work, crate.removeprefix("scale-"), "src", "lib.rs")
    os.utime(lib)
    result = subprocess.run(
        ["/usr/bin/time", "-v", *cargo_build(profile), "-p", crate, "--lib"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours, minutes, seconds = elapsed.groups()
    wall = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    if result.returncode != 0:
        killed = "SIGKILL" in result.stderr
        print(f"  {crate} failed after {wall:.1f} s at {rss / 1024:.0f} MiB"
              + (" (rustc killed: out of memory)" if killed else "") + ":\n"
              + "\n".join(result.stderr.splitlines()[:3]), flush=True)
    return wall, rss / 1024, result.returncode == 0


def built_executable(work, env, profile):
    """Builds the write-schema binary of `work` and returns a copy of it.
    `target/<profile>/scale-write` belongs to whichever workspace sharing the
    target folder linked it last, so the binary is relinked here first."""
    os.utime(os.path.join(work, "write", "src", "main.rs"))
    sh([*cargo_build(profile), "-p", "scale-write"], cwd=work, env=env)
    binary = os.path.join(work, "write-schema")
    folder = "release" if profile == "release" else "debug"
    shutil.copy2(os.path.join(env["CARGO_TARGET_DIR"], folder, "scale-write"), binary)
    return binary


PARTS = ["protocol-defs", "build", "write-schema"]
CRATES = ["ours", "plain"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[200])
    parser.add_argument("--work", default="/dev/shm/protocol-scale")
    parser.add_argument("--target-dir", help="cargo's target folder (default: WORK/target)")
    parser.add_argument("--profile", choices=["release", "dev"], default="release",
                        help="the cargo profile of the synthetic crates (default: release)")
    parser.add_argument("--runs", type=int, default=5, help="write-schema runs per measurement")
    parser.add_argument("--builds", type=int, default=2, help="timed builds per crate and N")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS,
                        help="measure only these parts (default: all)")
    parser.add_argument("--crates", nargs="+", choices=CRATES, default=CRATES,
                        help="the synthetic crates whose build is timed (default: both)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ratios = []

    if "protocol-defs" in args.only:
        print("protocol-defs: building the release codegen-cli ...", flush=True)
        sh(["cargo", "build", "-q", "--release", "-p", "codegen-cli"], cwd=REPO)
        binary = os.path.join(REPO, "target", "release", "codegen-cli")
        work = os.path.join(args.work, "protocol-defs")
        os.makedirs(work, exist_ok=True)
        write, cp, files = write_schema_vs_copy(binary, [], work, args.runs, REPO)
        print(f"protocol-defs: write-schema {write * 1e3:.1f} ms, cp -r {cp * 1e3:.1f} ms "
              f"({files} files)")
        ratios.append(("write_schema_vs_copy_protocol_defs", write / cp))

    target = os.path.abspath(args.target_dir or os.path.join(args.work, "target"))
    env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_INCREMENTAL="0")
    gen = os.path.join(REPO, "bench", "scale", "gen.py")
    write_times = {}
    for n in args.n if {"build", "write-schema"} & set(args.only) else []:
        work = os.path.join(args.work, f"n{n}")
        # The dependencies are the same for every N: built once with a small
        # protocol, so that no build of the N-method crates is wasted.
        # (Once per folder: a second run reuses what the first built.)
        ready = os.path.join(work, ".dependencies-built")
        if not os.path.exists(ready):
            print(f"N={n}: building dependencies (not timed) ...", flush=True)
            sh([sys.executable, gen, "20", work, REPO])
            # Package by package, as they are timed below: a package built
            # alone may need its dependencies with other features than the
            # whole workspace does.
            for crate in CRATES:
                sh([*cargo_build(args.profile), "-p", f"scale-{crate}", "--lib"],
                   cwd=work, env=env)
            sh([*cargo_build(args.profile), "-p", "scale-write"], cwd=work, env=env)
            open(ready, "w").close()
        sh([sys.executable, gen, str(n), work, REPO])
        if "build" in args.only:
            builds = {f"scale-{crate}": [] for crate in args.crates}
            for _ in range(args.builds):
                for crate in builds:
                    build = timed_build(work, crate, env, args.profile)
                    builds[crate].append(build)
                    print(f"N={n}: cargo build {crate} {build[0]:.1f} s, {build[1]:.0f} MiB peak"
                          + ("" if build[2] else " (failed)"), flush=True)
            measured = {}
            for crate, runs in builds.items():
                if not all(b[2] for b in runs):
                    continue
                measured[crate] = (statistics.median(b[0] for b in runs), max(b[1] for b in runs))
                print(f"N={n}: cargo build {crate} median {measured[crate][0]:.1f} s, "
                      f"{measured[crate][1]:.0f} MiB peak")
            if len(measured) == 2:
                ours, plain = measured["scale-ours"], measured["scale-plain"]
                ratios.append((f"build_vs_plain_n{n}", ours[0] / plain[0]))
                ratios.append((f"build_rss_vs_plain_n{n}", ours[1] / plain[1]))

        if "write-schema" in args.only:
            binary = built_executable(work, env, args.profile)
            write, cp, files = write_schema_vs_copy(binary, [], work, args.runs, work)
            write_times[n] = write
            print(f"N={n}: write-schema {write * 1e3:.1f} ms, cp -r {cp * 1e3:.1f} ms "
                  f"({files} files)")
            ratios.append((f"write_schema_vs_copy_n{n}", write / cp))
    if 200 in write_times and 2000 in write_times:
        ratios.append(("write_schema_n2000_vs_n200", write_times[2000] / write_times[200]))

    print()
    for name, value in ratios:
        print(f"ratio {name}={value:.3f}")


if __name__ == "__main__":
    main()
