"""The SLURM profile (workflow/profiles/slurm) on a real one-node SLURM cluster started for the test.

Runs only with ``DIGECON_SLURM_TEST=1`` (``make slurm-test``, which installs slurm-wlm, munge and the
``[slurm]`` extra first); ``make test`` skips it. The cluster is this host: munged, slurmctld and slurmd
run in the foreground as children of the test, with their configuration, state and logs in a fresh
``/tmp/digecon-slurm.*`` folder, no systemd, no cgroups (``proctrack/linuxproc``, ``task/none``) and no
accounting (so ``sacct`` cannot answer, and the profile polls with ``squeue``). Three runs go at once:
the synthetic configuration with its example scenarios through the profile, the same locally up to its
tables (the reference: the figures are drawn once, in the SLURM run), and a one-job run made to fail at
run time. Every result
table must be equal, every job must have gone through SLURM, and the failing job must end its run
non-zero with its logs named. The daemons are stopped at the end whatever happened, and the timings
are printed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.synthetic import scratch_project

pytestmark = pytest.mark.skipif(
    os.environ.get("DIGECON_SLURM_TEST") != "1",
    reason="DIGECON_SLURM_TEST is not 1: the test starts a SLURM cluster of its own (root, slurm-wlm, munge), "
    "`make slurm-test` runs it",
)

PROFILE = "workflow/profiles/slurm"
# The executor's job step runs `srun` with every SLURM_* variable removed (SLURM_CONF too), so
# slurm.conf must be where the SLURM commands look by default, as on a real cluster's nodes. The test
# links it there for its run and removes the link afterwards; it never replaces a real file.
SYSTEM_CONF = Path("/etc/slurm/slurm.conf")
CLUSTER_PREFIX = "digecon-slurm."
# Above this, the run is taken to hang (the plugin waits for ever for a job it cannot see).
RUN_TIMEOUT_S = 900
# The plugin asks how the jobs do this long after one has ended, then 10 s later each time none has
# (11, 21, ... s): the profile's 5 s suits a real cluster; the test's jobs last seconds, and 1 s sees
# most of them end at the second question, 12 s after they started, not 20 s.
FIRST_STATUS_CHECK = ("--slurm-init-seconds-before-status-checks", "1")
# The local reference run stops at the files of the jobs that write the result tables compared below.
TABLE_JOBS = (
    "results/tables/digital_economy_wide.xlsx",
    "results/tables/panel.csv",
    "results/scenarios/comparison.csv",
)
# Both runs fan out over the example scenarios of the synthetic configuration.
CONFIG_FILES = ("config/test/config.yaml", "config/test/scenarios.yaml")
# The failing run asks for one job's output.
FAILING_TARGET = "data/processed/yearbook.csv"
# Every result table of the workflow; all of them must be equal between the local and the SLURM run.
TABLES = ("results/tables/**/*.csv", "results/validation/*.csv", "data/processed/*.csv", "results/scenarios/**/*.csv")
# Columns that may differ between two runs of the same configuration (a run date, an absolute path),
# dropped before comparing, per file. None of the tables carries one today: they are compared byte
# for byte, and a column holding the project's absolute path is reported as a failure.
VOLATILE_COLUMNS: dict[str, tuple[str, ...]] = {}
SUBMITTED = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+) \(log: (.+?)\)\.")


@dataclass
class Cluster:
    """A running one-node cluster: its folder, environment and daemons."""

    folder: Path
    conf: Path
    env: dict[str, str]
    daemons: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)


@dataclass
class Run:
    """One Snakemake run: its project folder, exit code, combined output and wall time."""

    project: Path
    returncode: int
    output: str
    seconds: float


TIMINGS: dict[str, float] = {}


def free_port() -> int:
    """A TCP port nobody listens on now (slurmctld and slurmd bind it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def node_hardware() -> dict[str, str]:
    """The host as ``slurmd -C`` sees it (NodeName, CPUs, RealMemory, ...)."""
    first = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    return dict(item.split("=", 1) for item in first.split())


def slurm_conf(folder: Path, ctld_port: int, slurmd_port: int) -> str:
    """A one-node slurm.conf for a machine without systemd, cgroups or accounting."""
    node = node_hardware()
    host = socket.gethostname().split(".")[0]
    return f"""\
ClusterName=digecon
SlurmctldHost={host}
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={folder}/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/log/slurmctld.log
SlurmdLogFile={folder}/log/slurmd.log
# no cgroups and no systemd here
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no accounting storage: sacct cannot answer, the profile polls with squeue
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
# squeue shows a finished job for MinJobAge seconds. The plugin asks again 5 s after a job ends
# (slurm-init-seconds-before-status-checks) and then 10 s later each time until 180 s between
# questions: a job forgotten sooner is waited for for ever. 300 s is SLURM's default.
MinJobAge=300
NodeName={node["NodeName"]} NodeAddr=127.0.0.1 CPUs={node["CPUs"]} RealMemory={node["RealMemory"]} State=UNKNOWN
PartitionName=debug Nodes={node["NodeName"]} Default=YES MaxTime=INFINITE State=UP
"""


def wait_for(what: str, check, timeout: float = 60.0) -> None:
    """Poll ``check()`` every 0.2 s until it is true; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(0.2)


def slurm(cluster: Cluster, *command: str) -> subprocess.CompletedProcess[str]:
    """A SLURM client command against the test cluster."""
    return subprocess.run(command, env=cluster.env, capture_output=True, text=True, check=False)


def start_cluster(cluster: Cluster) -> None:
    """Write the configuration into the cluster's folder and start munged, slurmctld and slurmd there."""
    folder = cluster.folder
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # munged wants every folder above its socket searchable by all
    for sub in ("state", "spool", "log"):
        (folder / sub).mkdir(exist_ok=True)
    subprocess.run(["mungekey", "--create", "--keyfile", str(folder / "munge.key")], check=True)
    cluster.conf.write_text(slurm_conf(folder, free_port(), free_port()), encoding="utf-8")
    if SYSTEM_CONF.is_symlink() and CLUSTER_PREFIX in os.readlink(SYSTEM_CONF):
        SYSTEM_CONF.unlink()  # left by an earlier run that was killed
    if SYSTEM_CONF.exists() or SYSTEM_CONF.is_symlink():
        raise RuntimeError(f"{SYSTEM_CONF} exists (a real SLURM installation?): not replacing it")
    SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
    SYSTEM_CONF.symlink_to(cluster.conf)
    commands = {
        "munged": [
            "munged", "--foreground", f"--socket={folder}/munge.socket", f"--key-file={folder}/munge.key",
            f"--pid-file={folder}/munged.pid", f"--log-file={folder}/log/munged.log",
            f"--seed-file={folder}/munged.seed",
        ],
        "slurmctld": ["slurmctld", "-D"],
        "slurmd": ["slurmd", "-D"],
    }  # fmt: skip
    for name, command in commands.items():
        with (folder / "log" / f"{name}.out").open("wb") as out:
            cluster.daemons[name] = subprocess.Popen(command, env=cluster.env, stdout=out, stderr=subprocess.STDOUT)
        # the pids, for tools/slurm_test.sh to stop them should this process be killed
        (folder / f"{name}.child").write_text(str(cluster.daemons[name].pid))
        if name == "munged":
            wait_for("munged's socket", (folder / "munge.socket").exists, timeout=10)


def stop_cluster(cluster: Cluster) -> None:
    """Cancel every job, stop the daemons (TERM, then KILL after 10 s), remove the system link."""
    if cluster.daemons.get("slurmctld") and cluster.daemons["slurmctld"].poll() is None:
        slurm(cluster, "scancel", "--user", str(os.getuid()))
        with contextlib.suppress(TimeoutError):
            wait_for("cancelled jobs", lambda: not slurm(cluster, "squeue", "--noheader").stdout.strip(), 10)
    for name in ("slurmd", "slurmctld", "munged"):
        process = cluster.daemons.get(name)
        if process is None:
            continue
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        (cluster.folder / f"{name}.child").unlink(missing_ok=True)
    if SYSTEM_CONF.is_symlink() and os.readlink(SYSTEM_CONF) == str(cluster.conf):
        SYSTEM_CONF.unlink()


def run_at_once(plan: dict[str, tuple[Path, tuple[str, ...]]], env: dict[str, str]) -> dict[str, Run]:
    """Run Snakemake in each project of ``plan`` (name: project, arguments) at the same time, each timed.

    A run still going after ``RUN_TIMEOUT_S`` is taken to hang: all are killed and the test fails.
    """
    started: dict[str, tuple[Path, subprocess.Popen[bytes], float]] = {}
    ended: dict[str, float] = {}
    try:
        for name, (project, args) in plan.items():
            with (project / "snakemake.out").open("wb") as out:
                command = [sys.executable, "-m", "snakemake", *args, "--configfile", *CONFIG_FILES]
                process = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
            started[name] = (project, process, time.monotonic())
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while len(ended) < len(started):
            for name, (_, process, _) in started.items():
                if name not in ended and process.poll() is not None:
                    ended[name] = time.monotonic()
            if time.monotonic() > deadline:
                hung = [str(started[name][0]) for name in started if name not in ended]
                pytest.fail(f"snakemake did not end within {RUN_TIMEOUT_S} s in {', '.join(hung)}")
            time.sleep(0.2)
    finally:
        for _, process, _ in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return {
        name: Run(project, process.returncode, (project / "snakemake.out").read_text(encoding="utf-8"),
                  ended[name] - start)
        for name, (project, process, start) in started.items()
    }  # fmt: skip


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Cluster]:
    # A short path of its own (not below pytest's 0700 folders): munged checks every folder above its
    # socket, and slurmd's step sockets must stay under the 108-byte limit of a socket path.
    folder = Path(os.environ.get("DIGECON_SLURM_DIR") or tempfile.mkdtemp(prefix=CLUSTER_PREFIX))
    conf = folder / "slurm.conf"
    cluster = Cluster(folder, conf, {**os.environ, "SLURM_CONF": str(conf), "DIGECON_MIRROR": ""})
    start = time.monotonic()
    try:
        start_cluster(cluster)
        wait_for("the node to be idle", lambda: slurm(cluster, "sinfo", "-h", "-o", "%T").stdout.strip() == "idle")
        TIMINGS["SLURM start (daemons up, node idle)"] = time.monotonic() - start
        probe = slurm(cluster, "sbatch", "--parsable", "--job-name=probe", "--output=/dev/null", "--wrap=true")
        assert probe.returncode == 0, probe.stderr
        query = ("squeue", "--noheader", "--states=all", "--jobs", probe.stdout.strip(), "--format=%T")
        wait_for("the probe job to complete", lambda: slurm(cluster, *query).stdout.strip() == "COMPLETED")
        TIMINGS["SLURM start (first job completed)"] = time.monotonic() - start
        yield cluster
    finally:
        stop_cluster(cluster)
        # keep the daemons' logs with pytest's temporary folders, then remove the cluster's own
        shutil.copytree(folder / "log", tmp_path_factory.mktemp("slurm_logs"), dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\n\nSLURM profile timings (wall clock):")
            for what, seconds in TIMINGS.items():
                print(f"  {what:<58} {seconds:6.1f} s")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, cluster: Cluster) -> dict[str, Run]:
    local = scratch_project(tmp_path_factory.mktemp("local"))
    remote = scratch_project(tmp_path_factory.mktemp("slurm"))
    failing = scratch_project(tmp_path_factory.mktemp("failing"))
    # A user's indicator file broken after the project was set up: the DAG is built from file names
    # and times only, so the run starts, and prepare_yearbook fails at run time, in its SLURM job.
    (failing / "data/synthetic/indicators.csv").write_text("not an indicator file\n\x00\x01\n", encoding="utf-8")
    # All three at once: the SLURM run mostly waits (for the next status question), the others use that time.
    plan = {
        "slurm": (remote, ("--profile", PROFILE, *FIRST_STATUS_CHECK)),
        "local": (local, (*TABLE_JOBS, "--cores", "2")),
        "failing": (failing, (FAILING_TARGET, "--profile", PROFILE, *FIRST_STATUS_CHECK)),
    }
    runs = run_at_once(plan, cluster.env)
    TIMINGS["synthetic run through the SLURM profile"] = runs["slurm"].seconds
    TIMINGS["the same locally up to the result tables, beside it"] = runs["local"].seconds
    TIMINGS["one failing job through the SLURM profile, beside it"] = runs["failing"].seconds
    return runs


@pytest.fixture(scope="module")
def slurm_run(runs: dict[str, Run]) -> Run:
    assert runs["slurm"].returncode == 0, runs["slurm"].output[-4000:]
    return runs["slurm"]


@pytest.fixture(scope="module")
def local_run(runs: dict[str, Run]) -> Run:
    assert runs["local"].returncode == 0, runs["local"].output[-4000:]
    return runs["local"]


def tables(project: Path) -> list[str]:
    """The result tables of a project, as paths relative to it."""
    return sorted(str(p.relative_to(project)) for pattern in TABLES for p in project.glob(pattern))


def test_every_job_ran_as_a_slurm_job(slurm_run: Run) -> None:
    submitted = SUBMITTED.findall(slurm_run.output)
    stats = re.search(r"^total\s+(\d+)$", slurm_run.output, re.MULTILINE)
    assert stats, "no job stats in the Snakemake output"
    # every job but the target rule `all` (a local rule) was submitted with sbatch
    assert len(submitted) == int(stats.group(1)) - 1 > 0
    assert re.findall(r"^localrule (\w+):", slurm_run.output, re.MULTILINE) == ["all"]
    assert len({slurm_id for _, slurm_id, _ in submitted}) == len(submitted)
    for job, slurm_id, log in submitted:
        path = Path(log)
        assert path.is_relative_to(slurm_run.project / ".snakemake" / "slurm_logs"), log
        assert path.name == f"{slurm_id}.log" and path.exists(), f"job {job}: no SLURM log {log}"
        text = path.read_text(encoding="utf-8")
        # the job's own Snakemake ran inside the allocation through the job-step executor
        assert "--executor slurm-jobstep" in text and "1 of 1 steps (100%) done" in text, text[-2000:]
    logs = list((slurm_run.project / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert len(logs) == len(submitted), "successful jobs' SLURM logs must be kept (slurm-keep-successful-logs)"


def test_slurm_results_equal_the_local_ones(local_run: Run, slurm_run: Run) -> None:
    import pandas as pd  # only here: the skipped module stays cheap to collect

    names = tables(local_run.project)
    assert len(names) > 10 and tables(slurm_run.project) == names
    for name in names:
        local, remote = local_run.project / name, slurm_run.project / name
        for run, path in ((local_run, local), (slurm_run, remote)):
            assert str(run.project) not in path.read_text(encoding="utf-8"), f"{name} holds an absolute path"
        if name in VOLATILE_COLUMNS:
            drop = list(VOLATILE_COLUMNS[name])
            pd.testing.assert_frame_equal(
                pd.read_csv(local, dtype=str).drop(columns=drop), pd.read_csv(remote, dtype=str).drop(columns=drop)
            )
        else:
            assert local.read_bytes() == remote.read_bytes(), f"{name} differs between the local and the SLURM run"


def test_a_failing_job_ends_the_run_and_names_its_logs(runs: dict[str, Run]) -> None:
    run = runs["failing"]
    assert run.returncode != 0, run.output[-4000:]
    assert "Error in rule prepare_yearbook:" in run.output, run.output[-4000:]
    assert "SLURM status is: 'FAILED'" in run.output, run.output[-4000:]
    assert "At least one job did not complete successfully." in run.output
    [(_, _, log)] = SUBMITTED.findall(run.output)
    slurm_log = Path(log)
    assert slurm_log.parent.name == "rule_prepare_yearbook", run.output[-4000:]
    # the error names the rule's log and the job's SLURM log, and both say what is wrong with the file
    named = re.search(
        r"^Error in rule prepare_yearbook:$.*?^\s+log: (.+?) \(check log file\(s\) for error details\)$",
        run.output,
        re.MULTILINE | re.DOTALL,
    )
    assert named, run.output[-4000:]
    assert [Path(p) for p in named.group(1).split(", ")] == [Path("logs/prepare_yearbook.log"), slurm_log]
    problem = "digecon: data/synthetic/indicators.csv, row 1:"
    assert problem in (run.project / "logs/prepare_yearbook.log").read_text(encoding="utf-8")
    assert problem in slurm_log.read_text(encoding="utf-8")
