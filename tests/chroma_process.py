"""A real ``chroma run`` server for tests: started on 127.0.0.1 at a free port, stopped by its PID."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx


class ChromaServer:
    """A real ``chroma run`` process on 127.0.0.1, stopped by its PID."""

    def __init__(self, path: Path, port: int):
        self.path, self.port = path, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).parent / "chroma"
        self.log = open(self.path.parent / f"chroma-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("chroma run did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
