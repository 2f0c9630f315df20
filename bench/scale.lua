-- wrk script of bench/scale.sh: QUERY names the request; PLATES, TAG and DAYS describe the seeded tenant
-- (microanpr tenant seed-reads). Plates are computed as Store.seedPlate computes them, so that every plate
-- asked for exists.
local query = os.getenv("QUERY")
local plates = tonumber(os.getenv("PLATES"))
local tag = os.getenv("TAG")
local days = tonumber(os.getenv("DAYS") or "30")
local jobs = tonumber(os.getenv("JOBS") or "1")
local now = os.time()
math.randomseed(tonumber(os.getenv("SEED") or "42"))

local function letter(k, div) return string.char(65 + math.floor(k / div) % 26) end
local function plate()
  local n = math.random(0, plates - 1)
  local k = (n * 2654435761) % 4294967296
  return letter(k, 1) .. letter(k, 26) .. tostring(10 + math.floor(k / 676) % 80)
      .. letter(k, 54080) .. letter(k, 1406080) .. letter(k, 36558080)
end
local function time(t) return os.date("!%Y-%m-%dT%H:%M:%SZ", t) end
local function hour()
  local from = now - math.random(2 * 3600, days * 86400)
  return "from=" .. time(from) .. "&to=" .. time(from + 3600)
end

local cursor, page = nil, 0
local make = {
  reads_plate = function() return "/v1/reads?limit=50&plate=" .. plate() end,
  reads_prefix = function() return "/v1/reads?limit=50&plate_prefix=" .. plate():sub(1, 2) end,
  reads_prefix1 = function() return "/v1/reads?limit=50&plate_prefix=" .. plate():sub(1, 1) end,
  -- A first character no seeded plate has (a digit: dateless GB plates such as 1 ABC start with one), which few
  -- plates start with in service too.
  reads_prefix1_rare = function() return "/v1/reads?limit=50&plate_prefix=" .. math.random(0, 9) end,
  reads_prefix4 = function() return "/v1/reads?limit=50&plate_prefix=" .. plate():sub(1, 4) end,
  reads_camera = function() return "/v1/reads?limit=50&camera_id=cam_" .. math.random(0, 3) end,
  reads_hour = function() return "/v1/reads?limit=50&" .. hour() end,
  reads_job = function() return "/v1/reads?limit=50&job_id=job_" .. tag .. "_" .. math.random(0, jobs - 1) end,
  reads_pages = function()
    if cursor then return "/v1/reads?limit=50&cursor=" .. cursor end
    return "/v1/reads?limit=50"
  end,
  passes_plate = function() return "/v1/passes?limit=50&plate=" .. plate() end,
  passes_hour = function() return "/v1/passes?limit=50&" .. hour() end,
  sessions_plate = function() return "/v1/sessions?limit=50&plate=" .. plate() end,
  sessions_hour = function() return "/v1/sessions?limit=50&" .. hour() end,
  summary = function() return "/v1/reports/summary?from=" .. time(now - 30 * 86400) .. "&to=" .. time(now) end,
}

-- ingest: an edge agent's pass of five reads (POST /v1/passes: the pass, its reads and their events in one
-- transaction), seen now.
local function pass()
  local p, t = plate(), os.time()
  local reads = {}
  for i = 1, 5 do
    reads[i] = string.format('{"plate":"%s","confidence":0.9,"box":{"x":%d,"y":200,"width":120,"height":30},"captured_at":"%s"}',
      p, 100 + i * 20, time(t))
  end
  return string.format('{"plate":"%s","confidence":0.9,"movement":"approaching","first_seen_at":"%s","last_seen_at":"%s","reads":[%s]}',
    p, time(t), time(t), table.concat(reads, ","))
end

request = function()
  if query == "ingest" then
    sent = (sent or 0) + 1
    local key = string.format("scale-%d-%d-%d", os.time(), math.random(1, 1000000000), sent)
    -- wrk.format uses these headers instead of the command line's: copy them (the API key).
    local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }
    for k, v in pairs(wrk.headers) do headers[k] = v end
    return wrk.format("POST", "/v1/passes", headers, pass())
  end
  return wrk.format("GET", make[query]())
end

-- reads_pages follows next_cursor for 100 pages, then starts again (keyset pages cost the same at any depth).
-- The first answer that is not a success is printed once (an error counted must be explained, not guessed at).
local failed = nil
response = function(status, headers, body)
  if status >= 400 and not failed then
    failed = status
    io.stderr:write(string.format("scale.lua: %s answered %d: %s\n", query, status, (body or ""):sub(1, 300)))
  end
  if query ~= "reads_pages" then return end
  page = page + 1
  cursor = body:match('"next_cursor":"([^"]+)"')
  if page >= 100 or not cursor then cursor, page = nil, 0 end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT %s p50=%.1f p99=%.1f max=%.1f rps=%.0f errors=%d\n", query,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
