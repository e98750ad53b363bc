// Server Action ids as the browser's bundle knows them, from a production build's server reference manifest.
// Actions are found by their exported name only, so moving an action to another file changes nothing here.
import { readFile } from "node:fs/promises";
import path from "node:path";

type Entry = { filename?: string; exportedName?: string };

export class ActionManifest {
  private readonly byName = new Map<string, Array<{ id: string; filename: string }>>();

  /** `source` names the manifest in error messages. */
  constructor(
    manifest: { node?: Record<string, Entry> },
    private readonly source: string,
  ) {
    for (const [id, entry] of Object.entries(manifest.node ?? {})) {
      if (!entry.exportedName) continue;
      const list = this.byName.get(entry.exportedName) ?? [];
      list.push({ id, filename: entry.filename ?? "?" });
      this.byName.set(entry.exportedName, list);
    }
  }

  /** Reads `<distDir>/server/server-reference-manifest.json`. */
  static async read(distDir: string): Promise<ActionManifest> {
    const file = path.join(distDir, "server", "server-reference-manifest.json");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new Error(
        `cannot read the server actions of the build: ${error instanceof Error ? error.message : String(error)} (is there a production build in ${distDir}?)`,
      );
    }
    return new ActionManifest(JSON.parse(text) as { node?: Record<string, Entry> }, file);
  }

  /** The id of the action exported as `name`; throws if no action or more than one has that name. */
  id(name: string): string {
    const found = this.byName.get(name) ?? [];
    if (found.length === 1) return found[0]!.id;
    if (found.length === 0) {
      const known = [...this.byName.keys()].filter((n) => !n.startsWith("$$")).sort();
      throw new Error(`no server action is exported as ${name} in ${this.source} (actions: ${known.join(", ") || "none"})`);
    }
    throw new Error(
      `${found.length} server actions are exported as ${name} in ${this.source} (${found.map((f) => f.filename).join(", ")}): rename one`,
    );
  }
}
