/**
 * Whether this process has begun to shut down. From that moment its readiness check answers 503, so
 * that load balancers stop sending it requests while it still serves those they already sent.
 */
let draining = false;

export function startDraining(): void {
  draining = true;
}

export function isDraining(): boolean {
  return draining;
}
