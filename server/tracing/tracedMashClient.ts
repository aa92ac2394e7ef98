import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MashClient } from '../../integrations';

type Operation = keyof MashClient;

/**
 * The MASH client with one span per call, so a delivery from the outbox (its own trace: the worker
 * polls, it is not inside the turn that queued the referral) shows up named and tagged with the
 * operation and its outcome kind, fixed words that identify nobody. Without a tracing SDK the spans are
 * no-ops.
 */
export function tracedMashClient(client: MashClient): MashClient {
  const tracer = trace.getTracer('safeguarding-bot');
  const traced =
    <A extends unknown[], R extends { kind: string }>(operation: Operation, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      tracer.startActiveSpan(`MASH ${operation}`, { kind: SpanKind.INTERNAL, attributes: { 'safeguarding.mash.operation': operation } }, async (span) => {
        try {
          const outcome = await call(...args);
          span.setAttribute('safeguarding.mash.outcome', outcome.kind);
          if (outcome.kind !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR });
          return outcome;
        } finally {
          span.end();
        }
      });
  return {
    submitReferral: traced('submitReferral', client.submitReferral.bind(client)),
    getReferral: traced('getReferral', client.getReferral.bind(client)),
    postMessage: traced('postMessage', client.postMessage.bind(client)),
    postIntelligence: traced('postIntelligence', client.postIntelligence.bind(client)),
  };
}
