FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# WeasyPrint (the board pack PDF) needs Pango, HarfBuzz's subsetter and fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 arp

COPY pyproject.toml build-constraints.txt README.md ./
COPY arp ./arp
COPY programme ./programme
COPY learning_spaces ./learning_spaces
COPY disproportionality ./disproportionality
RUN pip install --no-cache-dir "pip==26.3" \
 && pip install --no-cache-dir --build-constraint build-constraints.txt .

COPY manage.py gunicorn.conf.py ./
COPY templates ./templates
COPY static ./static
RUN mkdir -p var/media \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && chown -R arp:arp /app/var

USER arp
EXPOSE 8000
# gunicorn.conf.py: an access log with no client address, user agent or time.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "arp.wsgi"]
