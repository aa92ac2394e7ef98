import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createScrubbingProcessor, redisStatement } from './spanHygiene';

function scrubbedTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [createScrubbingProcessor(), new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), exporter };
}

describe('the span scrubber', () => {
  it('keeps the method, route template and status, and drops URLs, query strings, addresses and headers', () => {
    const { tracer, exporter } = scrubbedTracer();
    const span = tracer.startSpan('POST /api/messages?token=secret-token', { kind: SpanKind.SERVER });
    span.setAttributes({
      'http.request.method': 'POST',
      'http.route': '/api/messages',
      'http.response.status_code': 200,
      'url.full': 'http://bot.example.org/api/messages?token=secret-token',
      'url.path': '/v3/conversations/conv-Test-1/activities',
      'url.query': 'token=secret-token',
      'http.target': '/api/messages?token=secret-token',
      'client.address': '192.0.2.10',
      'user_agent.original': 'Test Browser',
      'http.request.header.authorization': 'Bearer secret-token',
    });
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported.name).toBe('POST /api/messages');
    expect(exported.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/api/messages', 'http.response.status_code': 200 });
  });

  it('keeps an exception type but not its message or stack, and no error description', () => {
    const { tracer, exporter } = scrubbedTracer();
    const span = tracer.startSpan('hset');
    span.recordException(new TypeError('cannot store Test Child, 01632 960001'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'cannot store Test Child' });
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported.events.map((e) => [e.name, e.attributes])).toEqual([['exception', { 'exception.type': 'TypeError' }]]);
    expect(exported.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(JSON.stringify(exported.events)).not.toContain('Test Child');
  });

  it('keeps our own safeguarding.* tags and a Redis command without its arguments', () => {
    const { tracer, exporter } = scrubbedTracer();
    const span = tracer.startSpan('MASH submitReferral', {
      attributes: { 'safeguarding.mash.operation': 'submitReferral', 'db.statement': redisStatement('hset', ['sg:conv-Test-1', 'text', 'Test Child']) },
    });
    span.end();
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'safeguarding.mash.operation': 'submitReferral', 'db.statement': 'hset' });
  });
});
