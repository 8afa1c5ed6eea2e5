"""The container files (``Dockerfile``, ``compose.yaml``, ``.dockerignore``) agree with the code they package.

Docker does not run on these machines, so these tests read the files the way Docker and Compose do
and check what can be checked here: every variable they set is one newsdesk reads; ports, paths and
versions agree across the files and with the installed packages; and the image's model-baking build
step, entry command and health checks really work when run directly, with the image's environment.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import pytest
import yaml
from chroma_process import ChromaServer
from newsdesk_processes import eventually, live_server
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

import service.answer.prompts
from bench.launcher import Launched, free_port
from ingest.settings import IngestSettings
from service.settings import ServiceSettings

PROJECT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
OWN_PREFIXES = ("NEWSDESK_", "SLACK_")


# --- reading the files as Docker and Compose do ---------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword (upper case) and its arguments, continuations joined."""

    keyword: str
    args: str


def dockerfile(path: Path = PROJECT / "Dockerfile") -> list[Instruction]:
    """The instructions of the image's final stage, with comment lines dropped (also inside continuations)."""
    instructions: list[Instruction] = []
    pending: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        continued = line.endswith("\\")
        pending.append(line[:-1].strip() if continued else line)
        if not continued:
            keyword, _, args = " ".join(pending).partition(" ")
            instructions.append(Instruction(keyword.upper(), args.strip()))
            pending = []
    assert not pending, "the Dockerfile ends inside a line continuation"
    last_from = max(i for i, ins in enumerate(instructions) if ins.keyword == "FROM")
    return instructions[last_from:]


def parse_env(args: str) -> dict[str, str]:
    """The variables of one ENV instruction: ``K=V K2="V 2"``, or the legacy ``K V`` form."""
    tokens = shlex.split(args)
    if tokens and "=" not in tokens[0]:
        return {tokens[0]: args.split(None, 1)[1].strip()}
    return dict(token.split("=", 1) for token in tokens)


def image_env(upto: int | None = None) -> dict[str, str]:
    """What the image's ENV instructions set (before instruction ``upto`` when given)."""
    env: dict[str, str] = {}
    for ins in dockerfile()[:upto]:
        if ins.keyword == "ENV":
            env.update(parse_env(ins.args))
    return env


def only(keyword: str) -> Instruction:
    """The one instruction with ``keyword`` in the final stage (Docker uses the last; there should be one)."""
    found = [ins for ins in dockerfile() if ins.keyword == keyword]
    assert len(found) == 1, f"expected exactly one {keyword} in the Dockerfile, found {len(found)}"
    return found[0]


def argv_of(args: str) -> list[str]:
    """An exec-form (JSON) command as is; a shell-form one the way Docker runs it, through ``/bin/sh -c``."""
    text = args.strip()
    if text.startswith("["):
        try:
            return [str(a) for a in json.loads(text)]
        except json.JSONDecodeError:
            pass  # Docker treats malformed JSON as shell form too
    return ["/bin/sh", "-c", text]


def healthcheck_argv() -> list[str]:
    """The HEALTHCHECK's command, after its ``--option=value`` words."""
    match = re.fullmatch(r"((?:--\S+\s+)*)CMD\s+(.+)", only("HEALTHCHECK").args, re.DOTALL)
    assert match, "HEALTHCHECK must be 'HEALTHCHECK [--options] CMD command'"
    return argv_of(match.group(2))


def workdir_at(index: int) -> PurePosixPath:
    """The WORKDIR in effect at instruction ``index`` of the final stage."""
    workdir = PurePosixPath("/")
    for ins in dockerfile()[:index]:
        if ins.keyword == "WORKDIR":
            workdir = workdir / ins.args.strip()
    return workdir


def copies() -> dict[str, PurePosixPath]:
    """Each COPY source (relative to the build context) and where it lands in the image."""
    landed: dict[str, PurePosixPath] = {}
    for index, ins in enumerate(dockerfile()):
        if ins.keyword != "COPY":
            continue
        words = json.loads(ins.args) if ins.args.startswith("[") else shlex.split(ins.args)
        words = [w for w in words if not w.startswith("--")]
        *sources, dest = words
        target = workdir_at(index) / dest
        for source in sources:
            name = source.rstrip("/")
            into_dir = dest.endswith("/") or len(sources) > 1
            landed[name] = target / PurePosixPath(name).name if into_dir else target
    return landed


def bake_run() -> tuple[int, Instruction]:
    """The RUN that installs the project and bakes the model in, with its index in the final stage."""
    runs = [(i, ins) for i, ins in enumerate(dockerfile()) if ins.keyword == "RUN" and "load_embedder" in ins.args]
    assert len(runs) == 1, "expected one RUN that loads the embedder (bakes the model into the image)"
    return runs[0]


def bake_snippet() -> str:
    """The ``python -c "..."`` code the build runs to export and quantise the model."""
    for word in shlex.split(bake_run()[1].args):
        if "load_embedder" in word:
            return word
    raise AssertionError("no python snippet calling load_embedder in the bake RUN")


def compose() -> dict[str, Any]:
    """``compose.yaml`` as Compose reads it (before interpolation)."""
    return yaml.safe_load((PROJECT / "compose.yaml").read_text(encoding="utf-8"))


def compose_env(service: str) -> dict[str, str]:
    """The ``environment`` of one compose service, list or mapping form, values not yet interpolated."""
    env = compose()["services"][service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


_INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}`` against ``env``: what the container gets."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        if op == ":-":
            return current or arg
        if op == "-":
            return arg if current is None else current
        if op in (":?", "?") and (current is None or (op == ":?" and not current)):
            raise ValueError(f"{name}: {arg}")
        return current or ""

    return _INTERPOLATION.sub(substitute, value)


def mount_target(volume: str) -> str:
    """The container side of a short-syntax compose volume (``source:target[:mode]``)."""
    parts = volume.split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def container_port(mapping: str) -> int:
    """The container side of a compose port mapping (``[ip:]host:container[/proto]``)."""
    return int(str(mapping).split(":")[-1].split("/")[0])


def flag(argv: list[str], name: str) -> str:
    """The value after ``name`` in a command line."""
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def dockerignore_patterns() -> list[str]:
    """The patterns of ``.dockerignore``, comments and blank lines dropped."""
    lines = (PROJECT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _glob(pattern: str) -> re.Pattern[str]:
    """A ``.dockerignore`` glob as a regex: ``*`` and ``?`` stay within a path segment, ``**`` crosses them."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves ``path`` out of the build context: the last pattern matching it or a parent wins."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _glob(pattern.lstrip("!").strip().strip("/"))
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            excluded = not negated
    return excluded


def settings_env_names() -> set[str]:
    """Every environment variable ServiceSettings and IngestSettings read, upper case (they are case-insensitive)."""
    names: set[str] = set()
    for cls in (ServiceSettings, IngestSettings):
        prefix = cls.model_config.get("env_prefix", "")
        for name, field in cls.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings):
                continue  # a nested settings object reads its own variables (IngestSettings, above)
            alias = field.validation_alias or field.alias
            if isinstance(alias, AliasChoices):
                names.update(choice for choice in alias.choices if isinstance(choice, str))
            elif isinstance(alias, str):
                names.add(alias)
            else:
                names.add(prefix + name)
    return {name.upper() for name in names}


def unknown_settings(variables: Mapping[str, str] | list[str]) -> list[str]:
    """The NEWSDESK_*/SLACK_* variables among ``variables`` that no settings field reads."""
    known = settings_env_names()
    return sorted(v for v in variables if v.upper().startswith(OWN_PREFIXES) and v.upper() not in known)


def run_env(**overrides: str) -> dict[str, str]:
    """This environment without NEWSDESK_*/SLACK_* settings, the image's ENV on top, then ``overrides``.

    ``PATH`` starts with the venv's ``bin``: there ``python`` and ``newsdesk`` are the image's.
    """
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(OWN_PREFIXES)}
    env.update(image_env())
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(overrides)
    return env


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and modification time: equal states mean nothing was written."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


# --- variables: every one set is one the service reads --------------------------------------------


def test_the_settings_reader_knows_the_documented_variables() -> None:
    known = settings_env_names()
    for name in (
        "NEWSDESK_DATA_DIR",
        "NEWSDESK_MODEL_CACHE",
        "NEWSDESK_CHROMA_URL",
        "NEWSDESK_PORT",
        "NEWSDESK_HOST",
        "NEWSDESK_API_KEYS",
        "NEWSDESK_PUBLIC_URL",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
    ):
        assert name in known


def test_a_misspelt_variable_is_reported_as_unknown() -> None:
    assert unknown_settings(["NEWSDESK_DATADIR", "SLACK_BOT_TOKN", "NEWSDESK_DATA_DIR", "PYTHONUNBUFFERED"]) == [
        "NEWSDESK_DATADIR",
        "SLACK_BOT_TOKN",
    ]


def test_the_env_parser_joins_continuation_lines(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text('FROM x\nENV A=1 \\\n    # a comment inside\n    B="two words" \\\n    C=3\nENV D 4 5\n')
    env: dict[str, str] = {}
    for ins in dockerfile(path):
        if ins.keyword == "ENV":
            env.update(parse_env(ins.args))
    assert env == {"A": "1", "B": "two words", "C": "3", "D": "4 5"}


def test_every_newsdesk_variable_the_image_sets_is_one_the_service_reads() -> None:
    env = image_env()
    assert any(name.startswith("NEWSDESK_") for name in env), "the ENV lines were not read"
    assert unknown_settings(env) == []


def test_every_variable_the_compose_file_sets_is_one_the_service_reads() -> None:
    env = compose_env("newsdesk")
    assert env, "the newsdesk service sets no environment"
    assert [name for name in env if not name.upper().startswith(OWN_PREFIXES)] == []
    assert unknown_settings(env) == []


def test_the_container_settings_parse_to_the_intended_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.upper().startswith(OWN_PREFIXES):
            monkeypatch.delenv(name)
    outside = {"NEWSDESK_API_KEYS": "key-one,key-two"}
    env = image_env() | {k: interpolate(v, outside) for k, v in compose_env("newsdesk").items()}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    settings = ServiceSettings()
    assert settings.port == int(env["NEWSDESK_PORT"]) and settings.host == env["NEWSDESK_HOST"]
    assert settings.ingest.data_dir == Path(env["NEWSDESK_DATA_DIR"])
    assert settings.ingest.model_cache_dir == Path(env["NEWSDESK_MODEL_CACHE"])
    assert settings.ingest.chroma_url == env["NEWSDESK_CHROMA_URL"]
    assert [k.get_secret_value() for k in settings.api_keys] == ["key-one", "key-two"]
    assert settings.slack_bot_token is None or not settings.slack_bot_token.get_secret_value()


def test_compose_refuses_to_start_newsdesk_without_api_keys() -> None:
    # Inside the container the server listens on every interface, where writes need a key.
    with pytest.raises(ValueError, match="NEWSDESK_API_KEYS"):
        interpolate(compose_env("newsdesk")["NEWSDESK_API_KEYS"], {})


# --- consistency across the files ---------------------------------------------------------------


def test_the_port_is_the_same_in_env_expose_healthcheck_and_compose() -> None:
    port = int(image_env()["NEWSDESK_PORT"])
    assert [int(p.split("/")[0]) for p in only("EXPOSE").args.split()] == [port]
    check = " ".join(healthcheck_argv())
    assert "NEWSDESK_PORT" in check, "the healthcheck must follow a NEWSDESK_PORT override"
    assert {int(p) for p in re.findall(r"[\"':](\d{2,5})\b", check)} == {port}
    service = compose()["services"]["newsdesk"]
    served = int(compose_env("newsdesk").get("NEWSDESK_PORT", port))
    assert [container_port(p) for p in service["ports"]] == [served]


def test_the_data_volume_is_the_data_dir_and_the_compose_mount() -> None:
    args = only("VOLUME").args
    volumes = json.loads(args) if args.startswith("[") else args.split()
    data_dir = image_env()["NEWSDESK_DATA_DIR"]
    assert volumes == [data_dir]
    targets = [mount_target(v) for v in compose()["services"]["newsdesk"]["volumes"]]
    assert targets == [compose_env("newsdesk").get("NEWSDESK_DATA_DIR", data_dir)]


def test_the_baked_model_cache_is_outside_the_data_volume() -> None:
    # A volume mounted over it (an existing volume, a bind mount) would hide the baked model.
    index, _ = bake_run()
    env = image_env(upto=index)  # what the bake RUN sees
    cache, data = PurePosixPath(env["NEWSDESK_MODEL_CACHE"]), PurePosixPath(image_env()["NEWSDESK_DATA_DIR"])
    assert env["NEWSDESK_MODEL_CACHE"] == image_env()["NEWSDESK_MODEL_CACHE"], (
        "the build and the server must share the cache"
    )
    assert not cache.is_relative_to(data)


def test_compose_points_newsdesk_at_the_chroma_service_and_its_port() -> None:
    services = compose()["services"]
    url = httpx.URL(compose_env("newsdesk")["NEWSDESK_CHROMA_URL"])
    chroma_cmd = [str(w) for w in services["chroma"]["command"]]
    assert url.host in services and "chroma" in services[url.host]["image"]
    assert url.port == int(flag(chroma_cmd, "--port"))
    assert flag(chroma_cmd, "--host") == "0.0.0.0", "other containers must reach it"
    assert [mount_target(v) for v in services["chroma"]["volumes"]] == [flag(chroma_cmd, "--path")]
    declared = set(compose().get("volumes") or {})
    for name in ("chroma", "newsdesk"):
        for volume in services[name]["volumes"]:
            assert volume.split(":")[0] in declared, f"{name}: {volume} is not a named volume"


def test_newsdesk_waits_for_a_healthy_chroma() -> None:
    services = compose()["services"]
    assert services["newsdesk"]["depends_on"] == {"chroma": {"condition": "service_healthy"}}
    test = services["chroma"]["healthcheck"]["test"]
    port = flag([str(w) for w in services["chroma"]["command"]], "--port")
    command = " ".join(test[1:])
    assert test[0] == "CMD" and "/api/v2/heartbeat" in command
    assert re.findall(r"(?<=[/:])\d{2,5}\b(?!\.)", command) == [port], (
        "the healthcheck must ask the port chroma listens on"
    )


def test_the_chroma_image_matches_the_installed_client() -> None:
    image = compose()["services"]["chroma"]["image"]
    name, _, tag = image.partition(":")
    assert name == "chromadb/chroma"
    assert tag.split(".")[:2] == version("chromadb").split(".")[:2], f"{image} vs chromadb {version('chromadb')}"


# --- the image itself ---------------------------------------------------------------------------


def test_the_image_runs_as_a_non_root_user_it_creates() -> None:
    instructions = dockerfile()
    users = [i for i, ins in enumerate(instructions) if ins.keyword == "USER"]
    assert users, "no USER: the image would run as root"
    user = instructions[users[-1]].args.split(":")[0]
    assert user not in ("root", "0")
    assert users[-1] < max(i for i, ins in enumerate(instructions) if ins.keyword == "CMD")
    useradd = re.compile(rf"useradd\b[^&;]*\b{user}\b")
    creates = [ins for ins in instructions[: users[-1]] if ins.keyword == "RUN" and useradd.search(ins.args)]
    assert creates, f"USER {user} is never created"


def test_the_image_serves_by_default() -> None:
    assert json.loads(only("CMD").args) == ["newsdesk", "serve"]  # exec form: newsdesk is PID 1 and gets SIGTERM
    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["scripts"]
    assert "newsdesk" in scripts


def test_torch_is_the_pinned_cpu_build_installed_before_the_project() -> None:
    dependencies = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [d for d in dependencies if re.match(r"torch\b", d)] == ["torch==2.13.0"]
    runs = [
        (i, shlex.split(ins.args)) for i, ins in enumerate(dockerfile()) if ins.keyword == "RUN" and "pip" in ins.args
    ]
    torch = [(i, words) for i, words in runs if "torch==2.13.0" in words]
    assert len(torch) == 1, "torch must be installed once, pinned"
    index, words = torch[0]
    assert flag(words, "--index-url") == "https://download.pytorch.org/whl/cpu"
    assert index < bake_run()[0], "torch must be in place before the project's install resolves it"
    others = [w for _, ws in runs for w in ws if re.match(r"torch\b", w) and w != "torch==2.13.0"]
    assert others == [], "another torch would replace the CPU build"


def test_the_image_holds_every_package_and_the_prompts_where_the_service_reads_them() -> None:
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    packages = {p.rstrip("*").split(".")[0] for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    landed = copies()
    index, bake = bake_run()
    root = workdir_at(index)
    install = re.search(r"pip install (?P<editable>-e |--editable )?\.(\s|$)", bake.args)
    assert install, "the project must be installed from the folder it is copied to"
    for name in sorted(packages) + ["pyproject.toml", pyproject["project"]["readme"]]:
        assert landed.get(name) == root / name, f"{name} must be copied to {root / name}"
    # service/answer/prompts.py reads PROMPTS_DIR next to the packages, unless NEWSDESK_PROMPTS_DIR says otherwise.
    source = service.answer.prompts.PROMPTS_DIR.relative_to(PROJECT).as_posix()
    where = image_env().get("NEWSDESK_PROMPTS_DIR")
    if where is None:
        assert install["editable"], "a non-editable install would look for prompts/ in site-packages"
    assert landed.get(source) == (PurePosixPath(where) if where else root / source)


def test_the_build_context_holds_what_is_copied_and_not_the_venv_data_secrets_or_tests() -> None:
    patterns = dockerignore_patterns()
    for source in copies():
        path = PROJECT / source
        files = (
            [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts] if path.is_dir() else [path]
        )
        assert files, f"COPY {source}: nothing there"
        for file in files:
            relative = file.relative_to(PROJECT).as_posix()
            assert not dockerignored(relative, patterns), f"{relative} is copied but left out of the context"
    for private in (
        ".venv/bin/python",
        ".env",
        "data/chroma/chroma.sqlite3",
        "tests/conftest.py",
        "bench/results/x.json",
        "artifacts/log.txt",
        ".git/HEAD",
        "service/__pycache__/app.cpython-311.pyc",
    ):
        assert dockerignored(private, patterns), f"{private} would enter the build context"


# --- run directly: the build step, the entry command and the health checks ------------------------


@pytest.fixture(scope="module")
def baked_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh model cache filled by the Dockerfile's own build snippet, run offline with the image's ENV."""
    cache = tmp_path_factory.mktemp("baked") / "models"
    work = cache.parent
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-c", bake_snippet()],
        env=run_env(NEWSDESK_DATA_DIR=str(work / "data"), NEWSDESK_MODEL_CACHE=str(cache), HF_HUB_OFFLINE="1"),
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return cache


@pytest.mark.slow
def test_the_build_step_bakes_an_exported_quantised_model(baked_model_cache: Path) -> None:
    files = {p.relative_to(baked_model_cache).as_posix() for p in baked_model_cache.rglob("*.onnx")}
    assert any(f.endswith("/onnx/model.onnx") for f in files), files
    # The int8 file is quantised from onnxruntime's fused BERT graph (ingest/embedding/onnx_export.py).
    assert any(re.search(r"/onnx/model_fused_q\w*int8_\w+\.onnx$", f) for f in files), files


@dataclass
class EntryCommand:
    """The image's entry command running here, the environment it got, and the baked cache's files before it started."""

    server: live_server.LiveServer
    env: dict[str, str]
    baked_before: dict[str, tuple[int, int]]


@pytest.fixture
def entry_command(tmp_path: Path, baked_model_cache: Path) -> Iterator[EntryCommand]:
    """The Dockerfile's CMD run directly with its ENV (local host, port, data dir; the baked model), stopped by PID."""
    port = free_port()
    env = run_env(
        NEWSDESK_HOST="127.0.0.1",
        NEWSDESK_PORT=str(port),
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_MODEL_CACHE=str(baked_model_cache),
    )
    argv = json.loads(only("CMD").args)
    executable = shutil.which(argv[0], path=env["PATH"])
    assert executable and Path(executable).parent == VENV_BIN
    baked_before = tree_state(baked_model_cache)
    # Started, not waited for: each test polls /healthz itself and judges what it says.
    launched = Launched([executable, *argv[1:]], log_path=tmp_path / "serve.log", env=env, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    server = live_server.LiveServer(launched=launched, url=url, data_dir=tmp_path / "data")
    try:
        yield EntryCommand(server, env, baked_before)
    finally:
        server.stop()


def _health(server: live_server.LiveServer) -> dict[str, Any] | None:
    """``/healthz``'s body once the server answers; fails at once if the process died."""
    if server.process.poll() is not None:
        pytest.fail(f"the entry command exited with {server.process.returncode}:\n{server.log()[-3000:]}")
    try:
        response = httpx.get(f"{server.url}/healthz", timeout=2, trust_env=False)
    except httpx.HTTPError:
        return None
    return response.json() if response.status_code == 200 else None


@pytest.mark.slow
def test_the_entry_command_serves_offline_and_the_healthcheck_passes(
    entry_command: EntryCommand, baked_model_cache: Path
) -> None:
    server, env = entry_command.server, entry_command.env
    health, _ = eventually(lambda: _health(server), 300, "the entry command answering /healthz")
    assert health["status"] == "ok", health
    check = subprocess.run(healthcheck_argv(), env=env, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    # uvicorn finishes the lifespan, then re-raises SIGTERM on purpose (exit -15; as PID 1 in a container, 0).
    assert server.stop() in (0, -signal.SIGTERM), server.log()[-3000:]
    assert "Application shutdown complete" in server.log()
    # Same CPU as the build: the server started from the baked files as they are, writing nothing there.
    assert tree_state(baked_model_cache) == entry_command.baked_before


def test_the_healthcheck_fails_when_nothing_listens() -> None:
    env = run_env(NEWSDESK_PORT=str(free_port()))
    assert shutil.which("python", path=env["PATH"]) == str(VENV_BIN / "python")
    check = subprocess.run(healthcheck_argv(), env=env, capture_output=True, text=True, timeout=30)
    assert check.returncode == 1  # Docker: 1 is unhealthy (2 is reserved)


@pytest.mark.slow
def test_the_chroma_healthcheck_passes_against_a_chroma_server_and_fails_without(chroma_server: ChromaServer) -> None:
    services = compose()["services"]
    port = flag([str(w) for w in services["chroma"]["command"]], "--port")
    test = services["chroma"]["healthcheck"]["test"][1:]

    def run_at(target: int) -> int:
        argv = [re.sub(rf"(?<=[/:]){port}\b(?!\.)", str(target), w) for w in test]
        return subprocess.run(argv, capture_output=True, timeout=30).returncode

    assert run_at(chroma_server.port) == 0
    assert run_at(free_port()) != 0
