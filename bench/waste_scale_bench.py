"""Driver for bench/waste_scale_bench.sh (see there for the targets)."""
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import peak_rss, run_once, run_timed  # noqa: E402

whittle, sizes, runs = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], int(sys.argv[3])
here = os.path.dirname(os.path.abspath(__file__))
# "pverify" is `profile --verify`: ci always verifies every digest (it hashes
# an uncompressed layer that profile and waste only parse), so ci's
# like-for-like baseline is profile reading and hashing the same bytes.
VERBS = ("profile", "pverify", "waste", "ci")
ARGS = {"profile": ["profile"], "pverify": ["profile", "--verify"], "waste": ["waste"], "ci": ["ci"]}

with tempfile.TemporaryDirectory(prefix="whittle-scale-bench-") as tmp:
    print("one layer of N empty files (1,000 per directory), docker-archive; median of %d runs, "
          "interleaved; wall and CPU (user + sys, from wait4) time; ratios of CPU time; peak RSS from "
          "GNU time; load %s" % (runs, open("/proc/loadavg").read().split()[0]))
    print("%9s | %17s %9s | %17s | %17s %9s | %17s %9s | %6s %6s %6s | %6s %6s | %9s %s"
          % ("entries", "profile wall/CPU", "RSS", "p --verify w/CPU", "waste wall/CPU", "RSS", "ci wall/CPU", "RSS",
             "w/p", "ci/pv", "ci/p", "w/p", "ci/p", "budget", ""))
    print("%9s   %17s %9s   %17s   %17s %9s   %17s %9s   %20s   %13s" % ("", "", "", "", "", "", "", "", "CPU ratios",
                                                                         "wall ratios"))
    all_met = True
    for n in sizes:
        image = os.path.join(tmp, "flat-%d.tar" % n)
        subprocess.run([sys.executable, os.path.join(here, "make_flat_image.py"), str(n), image], check=True)
        entries = n + (n + 999) // 1000
        # ci runs in an empty directory: no .dive-ci or .whittle.yaml is found,
        # so dive's default rules apply (and pass on this image).
        cmds = {v: [whittle] + ARGS[v] + [image, "--no-cache"] for v in VERBS}  # cold: the layer cache would answer profile and waste
        for v in VERBS:
            run_once(cmds[v])  # warm-up, page cache
        times = {v: [] for v in VERBS}
        cpus = {v: [] for v in VERBS}
        ratios = {v: [] for v in VERBS}
        for _ in range(runs):
            c = {}
            for v in VERBS:
                dt, cpu, _, rc = run_timed(cmds[v])
                if rc != 0:
                    raise SystemExit("%s failed on %s" % (v, image))
                c[v] = cpu
                times[v].append(dt)
                cpus[v].append(cpu)
            # CPU time: on a shared machine wall time measures the neighbours too.
            for v in VERBS:
                ratios[v].append(c[v] / c["profile"])
            ratios["ci/pv"] = ratios.get("ci/pv", []) + [c["ci"] / c["pverify"]]
            # Wall time too: ci hashes on a second thread, beside the scan.
            ratios["ci/p wall"] = ratios.get("ci/p wall", []) + [times["ci"][-1] / times["profile"][-1]]
            ratios["w/p wall"] = ratios.get("w/p wall", []) + [times["waste"][-1] / times["profile"][-1]]
        rss = {v: peak_rss(cmds[v]) for v in VERBS}
        budget = 64 * 2**20 + 150 * entries
        met = (all(rss[v] <= budget for v in VERBS) and statistics.median(ratios["waste"]) <= 1.5
               and statistics.median(ratios["ci/pv"]) <= 1.5)
        all_met = all_met and met
        med = {v: statistics.median(times[v]) for v in VERBS}
        cpu = {v: statistics.median(cpus[v]) for v in VERBS}
        print("%9d | %7.3fs/%7.3fs %6.1fMiB | %7.3fs/%7.3fs | %7.3fs/%7.3fs %6.1fMiB | %7.3fs/%7.3fs %6.1fMiB | "
              "%5.2fx %5.2fx %5.2fx | %5.2fx %5.2fx | %6.1fMiB %s"
              % (entries, med["profile"], cpu["profile"], rss["profile"] / 2**20, med["pverify"], cpu["pverify"],
                 med["waste"], cpu["waste"], rss["waste"] / 2**20, med["ci"], cpu["ci"], rss["ci"] / 2**20,
                 statistics.median(ratios["waste"]), statistics.median(ratios["ci/pv"]),
                 statistics.median(ratios["ci"]), statistics.median(ratios["w/p wall"]),
                 statistics.median(ratios["ci/p wall"]), budget / 2**20, "MET" if met else "NOT MET"))
        os.unlink(image)
    print("targets: waste <= 1.5x profile's CPU time and ci <= 1.5x `profile --verify`'s (ci and profile --verify both hash every blob; "
          "medians of per-run ratios; ci/p, ci against plain profile, for reference), every RSS <= 64 MiB + "
          "150 B/entry: %s" % ("MET" if all_met else "NOT MET"))
