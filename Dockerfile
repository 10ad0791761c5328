# toptasks in a container, on Playwright's Python image (its Chromium and system libraries),
# installed by the same script as the GitHub Action. Not built in this project's CI (no Docker
# engine there).
#   docker build -t toptasks .
#   docker run --rm -v "$PWD:/work" -w /work toptasks audit https://www.example.com/ --tasks tasks.yaml
FROM mcr.microsoft.com/playwright/python:v1.49.1-noble
ENV PIP_BREAK_SYSTEM_PACKAGES=1
COPY . /opt/toptasks
RUN TOPTASKS_PYTHON=python3 bash /opt/toptasks/scripts/toptasks-ci.sh install
ENTRYPOINT ["toptasks"]
CMD ["--help"]
