import type { Request, Response } from 'express';

/** The client address used for the per-address login limit (Express's view: the socket unless `trust proxy`). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** A page or a reply that must never be kept by a browser or a proxy. */
export function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store, max-age=0');
  res.setHeader('Pragma', 'no-cache');
}

/** Form fields arrive as a string or, for repeated names (checkboxes), an array. */
export function formList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

export function formString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
