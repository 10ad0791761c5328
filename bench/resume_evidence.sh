#!/bin/bash
# Interrupted-then-resumed audit of the 10,000-page bench site vs an uninterrupted one.
set -e
cd /work/main
W=/tmp/tt-bench; N=10000
PYTHONPATH=. .venv/bin/python -c "
from pathlib import Path; from bench.sitegen import write_site, tasks_yaml
r = Path('$W/site-$N')
(r/'robots.txt').exists() or write_site(r, $N)
Path('$W/tasks-$N.yaml').write_text(tasks_yaml($N))"
mkdir -p $W/ng && PORT=18765
cat > $W/ng/nginx.conf <<CONF
worker_processes 1; daemon off; pid $W/ng/nginx.pid; error_log $W/ng/error.log;
events { worker_connections 1024; }
http { access_log off; types { text/html html; text/plain txt; } default_type text/html;
  client_body_temp_path $W/ng; proxy_temp_path $W/ng; fastcgi_temp_path $W/ng; uwsgi_temp_path $W/ng; scgi_temp_path $W/ng;
  server { listen 127.0.0.1:$PORT; root $W/site-$N; index index.html; } }
CONF
/usr/sbin/nginx -c $W/ng/nginx.conf -e $W/ng/error.log & NG=$!
sleep 1
URL=http://127.0.0.1:$PORT/
rm -rf $W/ref $W/int
T=$(date +%s.%N); .venv/bin/toptasks audit $URL --tasks $W/tasks-$N.yaml --out $W/ref --no-render --no-throttle > /dev/null
echo "uninterrupted: $(echo "$(date +%s.%N) - $T" | bc) s"
.venv/bin/toptasks audit $URL --tasks $W/tasks-$N.yaml --out $W/int --no-render --no-throttle > /dev/null 2>&1 & P=$!
while [ "$(wc -l < $W/int/model/pages.jsonl 2>/dev/null || echo 0)" -lt 3000 ]; do sleep 0.2; done
kill -9 $P; echo "killed -9 at $(wc -l < $W/int/model/pages.jsonl) pages"
.venv/bin/toptasks audit $URL --tasks $W/tasks-$N.yaml --resume $W/int --no-render --no-throttle > /dev/null
cmp $W/ref/tasks.csv $W/int/tasks.csv && echo "tasks.csv identical"
echo "pages: $(wc -l < $W/ref/pages.csv) vs $(wc -l < $W/int/pages.csv); links: $(wc -l < $W/ref/links.csv) vs $(wc -l < $W/int/links.csv)"
cut -d, -f1,3,4,5 $W/int/tasks.csv
kill $NG
