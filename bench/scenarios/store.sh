# Store growth (sourced by bench/run --scenarios store): for each store database, two Antlers side by side,
# one on an empty store and one on a store seeded by the test tree's StoreSeeder (users, keys, usage and ledger
# rows), measured interleaved: time to the first relayed response on restart, the relay at 1 and 64
# connections (p50, CPU per request), and the admin log queries the console uses (p95 over LOG_CALLS calls).
# Uses bench/run's functions and variables (launch_antler, run_wrk, place, record, ...).

SEEDER=src/test/java/dev/antler/testing/StoreSeeder.java
pg_admin() {  # pg_admin SQL: runs SQL on the PostgreSQL server of --pg-url (its maintenance database)
  local url=${PG_URL#jdbc:postgresql://} host port user
  host=${url%%/*}; port=${host##*:}; host=${host%%:*}; [[ $port == "$host" ]] && port=5432
  user=$(sed -n 's/.*[?&]user=\([^&]*\).*/\1/p' <<<"$PG_URL"); user=${user:-postgres}
  psql -q -X -h "$host" -p "$port" -U "$user" -d postgres -c "$1" >/dev/null
}
pg_url() {  # pg_url DB: --pg-url with its database replaced by DB
  local base=${PG_URL%%\?*} params=""
  [[ $PG_URL == *\?* ]] && params="?${PG_URL#*\?}"
  echo "${base%/*}/$1$params"
}
PG_DATABASES=()
drop_pg_databases() {
  local db
  for db in "${PG_DATABASES[@]}"; do pg_admin "DROP DATABASE IF EXISTS $db" || true; done
  PG_DATABASES=()
}

# The queries: name and path; ids and times point into the seeded population (users and keys from id 1, the
# heaviest first; rows spread over the last 90 days). On the empty store they find nothing, as a reference.
store_queries() {  # store_queries NOW_MS: prints "name path" lines
  local now=$1 day=86400000 mid=$(($1 - 45 * 86400000))
  cat <<Q
logs_newest logs?limit=50
logs_user_heavy logs?user_id=1&limit=50
logs_user_light logs?user_id=$STORE_USERS&limit=50
logs_key logs?key_id=1&limit=50
logs_key_light logs?key_id=$STORE_KEYS&limit=50
logs_model logs?model=gpt-4o&limit=50
logs_channel logs?channel_id=3&limit=50
logs_time_hour logs?from=$mid&to=$((mid + 3600000))&limit=50
logs_user_model_week logs?user_id=1&model=gpt-4o&from=$((now - 7 * day))&limit=50
logs_model_channel logs?model=o3-mini&channel_id=5&limit=50
logs_page_offset_10000 logs?offset=10000&limit=50
logs_page_cursor_mid logs?cursor=${mid}_9223372036854775807&limit=50
summary_model_all logs/summary?group_by=model
summary_model_day logs/summary?group_by=model&from=$((now - day))
summary_user_day logs/summary?group_by=user&from=$((now - day))
summary_channel_week logs/summary?group_by=channel&from=$((now - 7 * day))
summary_user_heavy logs/summary?group_by=model&user_id=1
Q
}

time_queries() {  # time_queries DB STORE URL: LOG_CALLS timed calls of each query, one record per query
  local db=$1 store=$2 url=$3 name path i out code secs times codes
  while read -r name path; do
    times="" codes=""
    for ((i = 0; i < LOG_CALLS; i++)); do
      out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 \
        -H "Authorization: Bearer $ADMIN_KEY" "$url/api/admin/$path" || echo "000 60")
      read -r code secs <<<"$out"
      times+="${times:+,}$secs" codes+="${codes:+,}$code"
    done
    record "{\"kind\":\"store_query\",\"db\":\"$db\",\"store\":\"$store\",\"query\":\"$name\",\"path\":\"${path//\"/}\",\"seconds\":[$times],\"http\":[$codes]}"
  done < <(store_queries "$SEED_NOW_MS")
}

store_growth() {  # store_growth DB
  local db=$1 store url port empty_url seeded_url t0 seed_ms ms i round conns
  declare -A S_PORT=() S_URL=() S_PID=()
  if [[ $db == postgresql ]]; then
    command -v psql >/dev/null || die "--store-dbs postgresql needs psql (apt-get install postgresql-client)"
    local tag=$$
    pg_admin "DROP DATABASE IF EXISTS antler_bench_empty_$tag" && pg_admin "CREATE DATABASE antler_bench_empty_$tag" \
      || die "cannot create a database on $PG_URL"
    pg_admin "DROP DATABASE IF EXISTS antler_bench_seeded_$tag" && pg_admin "CREATE DATABASE antler_bench_seeded_$tag"
    PG_DATABASES+=("antler_bench_empty_$tag" "antler_bench_seeded_$tag")
    empty_url=$(pg_url "antler_bench_empty_$tag") seeded_url=$(pg_url "antler_bench_seeded_$tag")
  else
    mkdir -p "$WORK/store-empty" "$WORK/store-seeded"
    empty_url="jdbc:sqlite:$WORK/store-empty/antler.db" seeded_url="jdbc:sqlite:$WORK/store-seeded/antler.db"
  fi
  say "store growth ($db): seeding $STORE_USERS users, $STORE_KEYS keys, $STORE_ROWS usage rows (and their ledger rows)"
  t0=$(now_us)
  SEED_NOW_MS=$(($(now_us) / 1000))
  java --enable-native-access=ALL-UNNAMED -Xmx2g -cp "target/antler.jar:target/lib/*" "$SEEDER" --url "$seeded_url" \
    --users "$STORE_USERS" --keys "$STORE_KEYS" --rows "$STORE_ROWS" 2> >(grep --line-buffered -v '^WARNING' >&2) \
    || die "seeding the $db store failed"
  seed_ms=$((($(now_us) - t0) / 1000))
  record "{\"kind\":\"store_seed\",\"db\":\"$db\",\"users\":$STORE_USERS,\"keys\":$STORE_KEYS,\"rows\":$STORE_ROWS,\"ms\":$seed_ms}"
  S_URL[empty]=$empty_url S_URL[seeded]=$seeded_url
  for store in empty seeded; do
    S_PORT[$store]=$(pick_port $((VERTX_PORT + 10 + ${#S_PORT[@]})))
    write_antler_config "$WORK/antler-$db-$store.yaml" "$WORK/store-$store" "${S_PORT[$store]}" "${S_URL[$store]}"
    # The first start migrates (empty store) and seeds the config's user, channel and key: not timed.
    launch_antler "0-$((NCPU - 1))" "$WORK/antler-$db-$store.yaml" "$WORK/antler-$db-$store.log" "${AOT_FLAGS[@]}"
    first_response_ms "$(now_us)" "http://127.0.0.1:${S_PORT[$store]}" >/dev/null \
      || { cat "$WORK/antler-$db-$store.log" >&2; die "Antler ($db, $store store) did not start"; }
    stop_pid "$ANTLER_PID"
  done
  say "store growth ($db): $RESTARTS restart(s) per store, launch to first relayed response"
  for ((i = 1; i <= RESTARTS; i++)); do
    for store in empty seeded; do
      t0=$(now_us)
      launch_antler "0-$((NCPU - 1))" "$WORK/antler-$db-$store.yaml" "$WORK/antler-$db-$store.log" "${AOT_FLAGS[@]}"
      ms=$(first_response_ms "$t0" "http://127.0.0.1:${S_PORT[$store]}") \
        || { cat "$WORK/antler-$db-$store.log" >&2; die "Antler ($db, $store store) did not restart"; }
      record "{\"kind\":\"store_startup\",\"db\":\"$db\",\"store\":\"$store\",\"ms\":$ms}"
      stop_pid "$ANTLER_PID"
    done
  done
  for store in empty seeded; do
    launch_antler "0-$((NCPU - 1))" "$WORK/antler-$db-$store.yaml" "$WORK/antler-$db-$store.log" "${AOT_FLAGS[@]}"
    S_PID[$store]=$ANTLER_PID
    first_response_ms "$(now_us)" "http://127.0.0.1:${S_PORT[$store]}" >/dev/null || die "Antler ($db, $store) did not start"
  done
  say "store growth ($db): warm-up ${ANTLER_WARMUP}s per store at 64 connections (all CPUs), then $ROUNDS round(s)"
  for store in empty seeded; do
    run_wrk "http://127.0.0.1:${S_PORT[$store]}" bench/bodies/chat.json 64 "$ANTLER_WARMUP" >/dev/null
    run_wrk "http://127.0.0.1:${S_PORT[$store]}" bench/bodies/chat.json 1 1 >/dev/null
    taskset -a -p -c "$GW_CPUS" "${S_PID[$store]}" >/dev/null
  done
  local result before after
  for ((round = 1; round <= ROUNDS; round++)); do
    for store in empty seeded; do
      for conns in 1 64; do
        place "$conns"
        before=$(cpu_ticks "${S_PID[$store]}")
        result=$(run_wrk "http://127.0.0.1:${S_PORT[$store]}" bench/bodies/chat.json "$conns" "$SECONDS_PER_RUN")
        after=$(cpu_ticks "${S_PID[$store]}")
        [[ -n $result ]] || die "wrk printed no result for the $db $store store"
        record "{\"kind\":\"store_wrk\",\"db\":\"$db\",\"store\":\"$store\",\"round\":$round,\"conns\":$conns,\"cpu_ticks\":$((after - before)),\"clk_tck\":$CLK_TCK,\"wrk\":$result}"
        printf '[bench] store %-10s %-6s round %d c=%-2d %s\n' "$db" "$store" "$round" "$conns" \
          "$(sed 's/.*"requests":\([0-9]*\).*"p50":\([0-9]*\).*/\1 requests, p50 \2 us/' <<<"$result")" >&2
      done
    done
  done
  place 64
  say "store growth ($db): admin log queries, $LOG_CALLS calls each, per store"
  for store in seeded empty; do
    time_queries "$db" "$store" "http://127.0.0.1:${S_PORT[$store]}"
  done
  for store in empty seeded; do
    record "{\"kind\":\"store_rss\",\"db\":\"$db\",\"store\":\"$store\",\"hwm_kb\":$(hwm_kb "${S_PID[$store]}")}"
    stop_pid "${S_PID[$store]}"
  done
  drop_pg_databases
}

for store_db in ${STORE_DBS//,/ }; do
  [[ $store_db == sqlite || $store_db == postgresql ]] || die "--store-dbs: $store_db (expected: sqlite, postgresql)"
  store_growth "$store_db"
done
