import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads it and the
 * other OTEL_* variables itself). W3C trace context is taken from incoming requests (the gateway's),
 * and HTTP, express, PostgreSQL and Redis get spans of their own; the GraphQL operation names the
 * request's span, upstream `_entities` calls and jobs get theirs (withSpan below), and a job carries
 * the trace of the request that queued it (traceCarrier), so a render's trace runs into the worker.
 * Started before the instrumented modules are loaded: each process's entry imports it first.
 */
export function startTracing(serviceName: string): { stop(): Promise<void> } | null {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(health|ready|metrics)\b/.test(request.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  return { stop: () => provider.shutdown() };
}

const tracer = () => trace.getTracer('design-subgraph');

/** Names the current span after the GraphQL operation it serves. */
export function nameOperationSpan(operation: string, type: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${type ?? 'graphql'} ${operation}`);
  span.setAttribute('graphql.operation.name', operation);
  if (type) span.setAttribute('graphql.operation.type', type);
}

/** Runs `work` in a span of its own (a child of the current one, or of `parent` when given). */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; parent?: Record<string, string> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ? propagation.extract(context.active(), options.parent) : context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The current trace as W3C headers (`traceparent`), to carry in a job's data or an outgoing request; empty without one. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export { SpanKind };
