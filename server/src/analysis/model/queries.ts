import type { ReadLog } from "./reads";
import type { SemanticModel } from "./semantic-model";

/** A query: a computation over the model, named and given a string, whose value the engine can reuse. */
export interface QueryDefinition<T> {
  name: string;
  compute(model: SemanticModel, argument: string): T;
}

const QUERIES = new Map<string, QueryDefinition<unknown>>();

/** Defines a query; its name must be unique, since the engine finds it again by name to re-run it. */
export function defineQuery<T>(name: string, compute: (model: SemanticModel, argument: string) => T): QueryDefinition<T> {
  if (QUERIES.has(name)) throw new Error(`two queries are named ${name}`);
  const definition = { name, compute };
  QUERIES.set(name, definition as QueryDefinition<unknown>);
  return definition;
}

/** A query's value kept across analyses, with what it read. */
export interface QueryRecord {
  value: unknown;
  fingerprint: string;
  reads: ReadLog;
}

/** The query of that name, for the engine to run again from a recorded key. */
export function queryNamed(name: string): QueryDefinition<unknown> | undefined {
  return QUERIES.get(name);
}
