/**
 * How big a JSON value is, found without serializing it and without trusting its shape: the walk
 * stops at the first level deeper than allowed (so 20,000 nested levels or a cycle cost nothing
 * and overflow no stack) and as soon as the length passes the limit.
 */

/** Why a value was refused. */
export type JsonProblem = 'too_deep' | 'too_long' | 'cyclic' | 'not_json'

/** The outcome of {@link measureJson}: the length as JSON, or the first problem found. */
export type JsonMeasure = { ok: true; length: number } | { ok: false; problem: JsonProblem }

/** Limits of {@link measureJson}. */
export interface JsonLimits {
  /** Levels of objects and arrays; a flat object is 1, a scalar 0. */
  maxDepth: number
  /** Characters as JSON (escapes aside). */
  maxLength: number
}

class Refused extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem)
  }
}

/**
 * Measures `value` as JSON would write it. Only what JSON can carry passes: strings, finite
 * numbers, booleans, null, arrays and plain objects; anything else (functions, class instances,
 * undefined in an array, NaN) is `not_json`, a value that contains itself is `cyclic`.
 */
export function measureJson(value: unknown, limits: JsonLimits): JsonMeasure {
  const ancestors = new Set<object>()
  let length = 0
  const grow = (characters: number) => {
    length += characters
    if (length > limits.maxLength) throw new Refused('too_long')
  }
  const walk = (node: unknown, depth: number): void => {
    if (node === null) return grow(4)
    switch (typeof node) {
      case 'string':
        return grow(node.length + 2)
      case 'boolean':
        return grow(node ? 4 : 5)
      case 'number':
        if (!Number.isFinite(node)) throw new Refused('not_json')
        return grow(String(node).length)
      case 'object':
        break
      default:
        throw new Refused('not_json')
    }
    const object = node as object
    if (ancestors.has(object)) throw new Refused('cyclic')
    if (depth + 1 > limits.maxDepth) throw new Refused('too_deep')
    const prototype: unknown = Object.getPrototypeOf(object)
    const isArray = Array.isArray(object)
    if (!isArray && prototype !== Object.prototype && prototype !== null) throw new Refused('not_json')
    ancestors.add(object)
    grow(2)
    if (isArray) {
      for (const [index, item] of (object as unknown[]).entries()) {
        if (index > 0) grow(1)
        if (item === undefined) throw new Refused('not_json')
        walk(item, depth + 1)
      }
    } else {
      let first = true
      for (const [key, item] of Object.entries(object)) {
        // JSON leaves out undefined properties, as a client's serializer does.
        if (item === undefined) continue
        grow(key.length + (first ? 3 : 4))
        first = false
        walk(item, depth + 1)
      }
    }
    ancestors.delete(object)
  }
  try {
    walk(value, 0)
    return { ok: true, length }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem }
    throw error
  }
}
