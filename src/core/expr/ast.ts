// The parsed form of an expression: a tree of nodes, each with the offset it starts at so the
// evaluator can say where a runtime error happened. Built by parser.ts, walked by evaluate.ts.
import type { SafeRegex } from './safe-regex.js';
import type { FunctionName } from './functions.js';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '**';
export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export type Node =
  | {
      readonly kind: 'literal';
      readonly value: null | number | string | boolean;
      readonly pos: number;
    }
  | { readonly kind: 'field'; readonly key: string; readonly pos: number }
  | { readonly kind: 'list'; readonly items: readonly Node[]; readonly pos: number }
  | { readonly kind: 'negate' | 'plus' | 'not'; readonly operand: Node; readonly pos: number }
  | {
      readonly kind: 'arithmetic';
      readonly op: ArithmeticOp;
      readonly left: Node;
      readonly right: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'comparison';
      readonly op: ComparisonOp;
      readonly left: Node;
      readonly right: Node;
      readonly pos: number;
    }
  /** `x == null` / `x != null`: the one comparison with null that is not simply false. */
  | {
      readonly kind: 'is-null';
      readonly negated: boolean;
      readonly operand: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'logical';
      readonly op: 'and' | 'or';
      readonly left: Node;
      readonly right: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'conditional';
      readonly test: Node;
      readonly then: Node;
      readonly otherwise: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'call';
      readonly name: FunctionName;
      readonly args: readonly Node[];
      readonly pos: number;
      /** matches() with a literal pattern: compiled once, at parse time. */
      readonly regex?: SafeRegex;
    };

/** A parsed expression with what the evaluator needs to report an error in it. */
export interface Expr {
  /** The expression as written. */
  readonly text: string;
  /** What it is, for messages: `--where`, `--derive line 2`. */
  readonly what: string;
  readonly root: Node;
}
