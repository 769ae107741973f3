# Sunbae's Discord bot. Build: docker compose build; run: docker compose up -d (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SUNBAE_DATA_DIR=/data \
    SUNBAE_MODEL_CACHE=/data/models

WORKDIR /app

# torch first, from the CPU index: the default index would pull the CUDA build (gigabytes).
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

# The project, with psycopg 3 (the driver behind postgresql+psycopg:// URLs) and Alembic as
# dependencies; the migrations ship inside the package and run when the bot opens its store.
COPY pyproject.toml README.md ./
COPY knowledge ./knowledge
COPY index ./index
COPY bot ./bot
RUN pip install .

# An unprivileged user owns the data folder: the SQLite/FAISS cache and the converted model.
RUN useradd --create-home --uid 10001 sunbae \
    && mkdir -p /data/models \
    && chown -R sunbae:sunbae /data
USER sunbae
VOLUME ["/data"]

CMD ["sunbae", "serve"]
