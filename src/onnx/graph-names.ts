import type { OnnxModel } from './model.js';

/** Hands out node, value and initializer names the graph does not use yet. */
export class FreshNames {
  private readonly used = new Set<string>();

  constructor(model: OnnxModel) {
    const g = model.graph;
    for (const v of [...g.inputs, ...g.outputs]) this.used.add(v.name);
    for (const i of g.initializers) this.used.add(i.name);
    for (const n of g.nodes) [n.name, ...n.outputs].forEach((x) => this.used.add(x));
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
