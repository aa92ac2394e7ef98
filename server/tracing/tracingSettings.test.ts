import { readTracingSettings } from './tracingSettings';

describe('readTracingSettings: what switches traces on', () => {
  it('is off when no OTEL_* variable asks for traces, so an unconfigured service sends nothing anywhere', () => {
    expect(readTracingSettings({})).toEqual({ settings: { enabled: false } });
    expect(readTracingSettings({ OTEL_SERVICE_NAME: 'safeguarding-bot' })).toEqual({ settings: { enabled: false } });
  });

  it('is on with an OTLP endpoint (protobuf unless told otherwise) or a named exporter', () => {
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ settings: { enabled: true, exporter: 'otlp', protocol: 'http/protobuf' } });
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.org/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({
      settings: { enabled: true, exporter: 'otlp', protocol: 'http/json' },
    });
    expect(readTracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ settings: { enabled: true, exporter: 'otlp', protocol: 'http/protobuf' } });
    expect(readTracingSettings({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ settings: { enabled: true, exporter: 'console' } });
  });

  it('stays off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, even with an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(readTracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toEqual({ settings: { enabled: false } });
    expect(readTracingSettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ settings: { enabled: false } });
  });

  it('names the variable it cannot use', () => {
    const zipkin = readTracingSettings({ OTEL_TRACES_EXPORTER: 'zipkin' });
    expect('error' in zipkin && zipkin.error).toMatch(/OTEL_TRACES_EXPORTER.*otlp, console or none/s);
    const grpc = readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect('error' in grpc && grpc.error).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL.*gRPC/s);
    const endpoint = readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
    expect('error' in endpoint && endpoint.error).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
