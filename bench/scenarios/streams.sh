# Concurrency (sourced by bench/run --scenarios streams): STREAMS simultaneous chat streams, each STREAM_SECONDS
# long with an event every EVENT_MS, from bench/StreamUpstream.java, read by bench/StreamClient.java (which
# times every event from the upstream's write to its arrival), run five times: direct to the upstream,
# through nginx, through the bare Netty relay and the Vert.x server + Netty client relay (references: the transport
# alone, and Antler's split of the stack with nothing else on) and through Antler. Measured per target: streams complete, peak RSS (sampled every second, and
# VmHWM), CPU per event, and the delay per event; "added" is the target's delay minus direct's.
# Uses bench/run's functions and variables.

EVENTS=$((STREAM_SECONDS * 1000 / EVENT_MS))
RAMP=$(awk -v n="$STREAMS" 'BEGIN { r = n / 1000; print (r < 1) ? 1 : r }')  # 1,000 new streams a second
LONG_PORT=$(pick_port $((VERTX_PORT + 20)))
LONG_NGINX_PORT=$(pick_port $((LONG_PORT + 1)))
LONG_ANTLER_PORT=$(pick_port $((LONG_NGINX_PORT + 1)))
LONG_HYBRID_PORT=$(pick_port $((LONG_ANTLER_PORT + 1)))
LONG_NETTY_PORT=$(pick_port $((LONG_HYBRID_PORT + 1)))
say "streams: $STREAMS streams x ${STREAM_SECONDS}s, an event every ${EVENT_MS} ms ($EVENTS events each); file-descriptor limit $(ulimit -n)"

taskset -c "$LOAD_CPUS" java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms256m -cp "$UP_CP" \
  bench/StreamUpstream.java "$LONG_PORT" "$EVENTS" "$EVENT_MS" >"$WORK/stream-upstream.log" 2>&1 &
LONG_UP_PID=$!; PIDS+=("$LONG_UP_PID")
wait_http "http://127.0.0.1:$LONG_PORT/" 60 || { cat "$WORK/stream-upstream.log" >&2; die "the stream upstream did not start"; }

# nginx for long streams: the same bare proxy as the load scenario's, with room for the connections
# (two per stream) and no read timeout shorter than a stream.
mkdir -p "$WORK/nginx-streams/logs" "$WORK/nginx-streams/tmp"
chmod 777 "$WORK/nginx-streams/tmp"
cat >"$WORK/nginx-streams/nginx.conf" <<NGX
worker_processes $GW_LOOPS;
worker_rlimit_nofile $((STREAMS * 2 + 1024));
pid $WORK/nginx-streams/nginx.pid;
error_log $WORK/nginx-streams/logs/error.log warn;
events { worker_connections $((STREAMS * 2 + 512)); }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-streams/tmp/body;
  proxy_temp_path $WORK/nginx-streams/tmp/proxy;
  fastcgi_temp_path $WORK/nginx-streams/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-streams/tmp/uwsgi;
  scgi_temp_path $WORK/nginx-streams/tmp/scgi;
  upstream long_streams { server 127.0.0.1:$LONG_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$LONG_NGINX_PORT backlog=8192;
    location / {
      proxy_pass http://long_streams;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 600s;
    }
  }
}
NGX
taskset -c "$GW_CPUS" "$NGINX" -p "$WORK/nginx-streams" -c "$WORK/nginx-streams/nginx.conf" -g 'daemon off;' \
  >"$WORK/nginx-streams/logs/stdout.log" 2>&1 &
LONG_NGINX_PID=$!; PIDS+=("$LONG_NGINX_PID")
wait_http "http://127.0.0.1:$LONG_NGINX_PORT/" 30 || { cat "$WORK/nginx-streams/logs/"*.log >&2; die "nginx (streams) did not start"; }

mkdir -p "$WORK/streams-db"
cat >"$WORK/antler-streams.yaml" <<YAML
# Antler with everything on, its only channel the long-stream upstream.
server: { port: $LONG_ANTLER_PORT, host: 127.0.0.1, event_loops: $GW_LOOPS }
database: { url: "jdbc:sqlite:$WORK/streams-db/antler.db" }
admin: { key: "$ADMIN_KEY" }
billing: { flush_interval_ms: 50 }
security: { allow_private_base_urls: true }
channels:
  - { name: long-streams, type: openai, base_url: "http://127.0.0.1:$LONG_PORT", key: sk-upstream-bench, models: [gpt-4o-mini], groups: [default] }
users:
  - name: bench
    group: default
    balance: 1000000000.00
    keys:
      - { name: streams, key: "$USER_KEY" }
YAML
launch_antler "0-$((NCPU - 1))" "$WORK/antler-streams.yaml" "$WORK/antler-streams.log" "${AOT_FLAGS[@]}"
LONG_ANTLER_PID=$ANTLER_PID
wait_http "http://127.0.0.1:$LONG_ANTLER_PORT/" 60 || { cat "$WORK/antler-streams.log" >&2; die "Antler (streams) did not start"; }

start_relay VertxNettyRelay "$LONG_HYBRID_PORT" "$LONG_PORT" "Vert.x server + Netty client relay (streams)"
LONG_HYBRID_PID=$RELAY_PID
start_relay NettyRelay "$LONG_NETTY_PORT" "$LONG_PORT" "bare Netty relay (streams)"
LONG_NETTY_PID=$RELAY_PID

declare -A LONG_URL=([direct]="http://127.0.0.1:$LONG_PORT" [nginx]="http://127.0.0.1:$LONG_NGINX_PORT"
  [antler]="http://127.0.0.1:$LONG_ANTLER_PORT" [hybrid]="http://127.0.0.1:$LONG_HYBRID_PORT"
  [netty]="http://127.0.0.1:$LONG_NETTY_PORT")
long_pids() {
  case "$1" in
    direct) echo "$LONG_UP_PID" ;;
    nginx) echo "$LONG_NGINX_PID $(pgrep -P "$LONG_NGINX_PID" | paste -sd' ')" ;;
    antler) echo "$LONG_ANTLER_PID" ;;
    hybrid) echo "$LONG_HYBRID_PID" ;;
    netty) echo "$LONG_NETTY_PID" ;;
  esac
}
rss_sum_kb() { local total=0 pid; for pid in "$@"; do total=$((total + $(rss_kb "$pid"))); done; echo "$total"; }

stream_run() {  # stream_run TARGET STREAMS EVENTS: one client run; prints its STREAM_RESULT json, records it
  local target=$1 n=$2 events=$3 pids before after peak=0 rss client out
  read -r -a pids <<<"$(long_pids "$target")"
  before=$(cpu_ticks "${pids[@]}")
  taskset -c "$LOAD_CPUS" java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms256m -cp "$UP_CP" \
    bench/StreamClient.java "${LONG_URL[$target]}" "$USER_KEY" "$n" "$events" "$RAMP" \
    $((STREAM_SECONDS + 120)) >"$WORK/stream-client-$target.out" 2>"$WORK/stream-client-$target.log" &
  client=$!; PIDS+=("$client")
  while kill -0 "$client" 2>/dev/null; do
    rss=$(rss_sum_kb "${pids[@]}"); ((rss > peak)) && peak=$rss
    sleep 1
  done
  wait "$client" 2>/dev/null || true
  after=$(cpu_ticks "${pids[@]}")
  out=$(sed -n 's/^STREAM_RESULT //p' "$WORK/stream-client-$target.out")
  [[ -n $out ]] || { cat "$WORK/stream-client-$target.log" >&2; die "the stream client printed no result ($target)"; }
  echo "$out"
  record "{\"kind\":\"streams\",\"target\":\"$target\",\"cpu_ticks\":$((after - before)),\"clk_tck\":$CLK_TCK,\"peak_rss_kb\":$peak,\"hwm_kb\":$(hwm_kb "${pids[@]}"),\"stream_seconds\":$STREAM_SECONDS,\"event_ms\":$EVENT_MS,\"nofile\":$(ulimit -n),\"result\":$out}"
}

# Each JVM relays 100,000 events before it is measured (as the load scenario's warm-up relays some 100,000
# requests): with fewer, the JIT compilers were still at work in the measured run, and their time was charged to
# the gateway's events (1.5 us of Antler's 33 per event in a profile after 20,000 warm-up events).
say "streams: warm-up of Antler and the JVM relays (2 x 1,000 streams of 5 s each, all CPUs)"
for i in 1 2; do
  for jvm in netty hybrid antler; do
    stream_run "$jvm" 1000 $((5000 / EVENT_MS)) >/dev/null
    sed -i '$d' "$RESULTS"  # the warm-up is not a result
  done
done
for pid in "$LONG_ANTLER_PID" "$LONG_HYBRID_PID" "$LONG_NETTY_PID"; do taskset -a -p -c "$GW_CPUS" "$pid" >/dev/null; done
for target in direct nginx netty hybrid antler; do
  say "streams: $target, $STREAMS streams"
  profiled=0; ((PROFILE)) && [[ $target == antler ]] && profiled=1
  ((profiled)) && jcmd "$LONG_ANTLER_PID" JFR.start name=streams settings=profile "jdk.ExecutionSample#period=1ms" \
    filename="$WORK/profile-streams-1.jfr" >/dev/null
  out=$(stream_run "$target" "$STREAMS" "$EVENTS")
  ((profiled)) && jcmd "$LONG_ANTLER_PID" JFR.stop name=streams >/dev/null
  say "streams: $target: $(sed 's/.*"complete":\([0-9]*\).*"events":\([0-9]*\).*"p99":\([0-9]*\).*/\1 complete, \2 events, delay p99 \3 us/' <<<"$out")"
done
for pid in "$LONG_ANTLER_PID" "$LONG_HYBRID_PID" "$LONG_NETTY_PID"; do stop_pid "$pid"; done
