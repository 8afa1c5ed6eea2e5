"""A real ``chroma run`` server for tests: started on 127.0.0.1 at a free port, stopped by its PID."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.launcher import Launched, answers, launch


class ChromaServer:
    """A real ``chroma run`` process on 127.0.0.1; ``stop`` then ``start`` brings it back on the same
    port over the same data (a test takes the store down that way)."""

    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.launched: Launched | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).parent / "chroma"
        self.launched = launch(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            ready=answers(f"{self.url}/api/v2/heartbeat"),
            timeout=60,
            log_path=self.path.parent / f"chroma-{self.port}.log",
            append_log=True,  # one log across restarts
            name="chroma run",
        )

    def stop(self) -> None:
        if self.launched is not None:
            self.launched.stop(timeout=10)
