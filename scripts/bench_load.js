#!/usr/bin/env node
// Load one HTTP server with autocannon (its programmatic API) and print the result as JSON.
//
//   node scripts/bench_load.js '<config as JSON>'
//
// Config: {url, connections, duration, warmup, scenario, ...}; `url` is the server's base URL
// (for example http://127.0.0.1:8080/crm/openapi), loopback only. Scenarios:
//   get    {path, headers}: the same GET again and again;
//   mixed  {headers, employees: [{id, number}]}: per connection, in a loop: blacklist add and
//          delete, manager create, list and delete, click-to-call; every cycle uses new numbers.
//
// The run starts with `warmup` seconds of the same load, whose numbers are thrown away.
// Latencies are measured here, in microseconds, from autocannon's per-response timings (its own
// --json output rounds them to whole milliseconds, too coarse below a millisecond). As autocannon
// does, only 2xx answers count towards latency; the others are counted in `non2xx`.
// Progress goes to stderr (and `measure start`/`measure end` around the measured part), the
// result (one JSON object) to stdout.
'use strict'

const autocannon = require('autocannon')

function pad (n, width) {
  return String(n % 10 ** width).padStart(width, '0')
}

let cycle = 0

function mixedRequests (config) {
  const base = new URL(config.url).pathname.replace(/\/$/, '')
  const employees = config.employees
  const auth = config.headers
  return [
    {
      method: 'POST',
      path: `${base}/blacklist`,
      headers: { ...auth, 'content-type': 'text/plain' },
      setupRequest: (req, context) => {
        cycle += 1
        context.cycle = cycle
        context.blacklisted = `7999${pad(cycle, 7)}`
        return { ...req, body: context.blacklisted }
      }
    },
    {
      method: 'DELETE',
      headers: auth,
      setupRequest: (req, context) => ({
        ...req,
        path: `${base}/blacklist/by-msisdn/${context.blacklisted}`
      })
    },
    {
      method: 'POST',
      path: `${base}/managers`,
      headers: { ...auth, 'content-type': 'application/json' },
      setupRequest: (req, context) => {
        const employee = employees[context.cycle % employees.length]
        context.managerName = `bench-${context.cycle}`
        context.employee = employee
        const body = {
          employeeId: employee.id,
          name: context.managerName,
          customers: [{ realNumber: `7998${pad(context.cycle, 7)}`, name: 'bench customer' }],
          handleAllCustomers: false
        }
        return { ...req, body: JSON.stringify(body) }
      }
    },
    {
      method: 'GET',
      path: `${base}/managers`,
      headers: auth,
      onResponse: (status, body, context) => {
        if (status !== 200) return
        const found = JSON.parse(body).find((m) => m.name === context.managerName)
        context.managerId = found === undefined ? 0 : found.id
      }
    },
    {
      method: 'DELETE',
      headers: auth,
      setupRequest: (req, context) => ({ ...req, path: `${base}/managers/${context.managerId || 0}` })
    },
    {
      method: 'POST',
      headers: auth,
      setupRequest: (req, context) => ({
        ...req,
        path: `${base}/call/outgoing?source=${context.employee.number}` +
          `&destination=7997${pad(context.cycle, 7)}`
      })
    }
  ]
}

function requestsFor (config) {
  if (config.scenario === 'get') {
    const base = new URL(config.url).pathname.replace(/\/$/, '')
    return [{ method: 'GET', path: base + config.path, headers: config.headers }]
  }
  if (config.scenario === 'mixed') return mixedRequests(config)
  throw new Error(`unknown scenario ${config.scenario}`)
}

function percentile (sorted, share) {
  if (sorted.length === 0) return null
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))
  return sorted[index]
}

function load (config, seconds, label) {
  return new Promise((resolve, reject) => {
    const latencies = []
    const origin = new URL(config.url).origin
    const instance = autocannon(
      {
        url: origin,
        connections: config.connections,
        duration: seconds,
        requests: requestsFor(config),
        // Each connection sends its next request when the previous answer is in.
        pipelining: 1,
        timeout: 10
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies }))
    )
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime * 1000)
    })
    let second = 0
    instance.on('tick', (counter) => {
      second += 1
      if (config.progress !== false && second <= seconds) {
        process.stderr.write(`    ${label} ${second}/${seconds} s: ${counter.counter} req\n`)
      }
    })
  })
}

function summary ({ result, latencies }) {
  latencies.sort((a, b) => a - b)
  const total = result.requests.total
  const mean = latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null
  const round = (v) => (v === null ? null : Math.round(v))
  return {
    duration_s: result.duration,
    requests: total,
    rps: total / result.duration,
    latency_us: {
      p50: round(percentile(latencies, 0.5)),
      p90: round(percentile(latencies, 0.9)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.length ? latencies[latencies.length - 1] : null),
      mean: round(mean)
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count])
    ),
    bytes: result.throughput.total
  }
}

async function main () {
  const config = JSON.parse(process.argv[2])
  const host = new URL(config.url).hostname
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    throw new Error(`refusing to load ${host}: loopback only`)
  }
  const warmup = config.warmup > 0 ? summary(await load(config, config.warmup, 'warm-up')) : null
  // Tells the caller (scripts/bench.py) to read the server's CPU time now.
  process.stderr.write('measure start\n')
  const run = await load(config, config.duration, 'measure')
  // ... and when it has ended, before this process sorts the latencies.
  process.stderr.write('measure end\n')
  const measured = summary(run)
  process.stdout.write(JSON.stringify({ warmup, result: measured }) + '\n')
}

main().catch((err) => {
  process.stderr.write(`bench_load: ${err.stack || err}\n`)
  process.exit(1)
})
