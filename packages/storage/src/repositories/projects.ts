import { resolve } from "node:path";
import { asc, eq, or } from "drizzle-orm";
import { DevflowError, newEventId } from "@devflow/events";
import type { StorageDatabase } from "../database.js";
import { projectsTable } from "../schema.js";

/** A registered project (a monitored repository). Times are ms UTC. */
export interface Project {
  /** Time-ordered id (UUIDv7). */
  id: string;
  name: string;
  /** Absolute path of the project root; unique. */
  rootPath: string;
  createdAt: number;
  updatedAt: number;
  settings: Record<string, unknown>;
}

/** What {@link ProjectRepository.add} needs. */
export interface NewProject {
  name: string;
  /** The project root; stored resolved to an absolute path. */
  rootPath: string;
  settings?: Record<string, unknown>;
}

/** Registered projects. */
export interface ProjectRepository {
  /**
   * Registers a project.
   *
   * @throws {@link DevflowError} `STORAGE_CONFLICT` when the root path is already registered,
   *   `STORAGE_BAD_ARGUMENT` for an empty name or path.
   */
  add(project: NewProject): Project;
  /** Every project, oldest first. */
  list(): Project[];
  /** A project by id or by root path, or `undefined`. */
  get(idOrRootPath: string): Project | undefined;
  /**
   * Renames a project and/or merges settings (a `null` setting value removes the key).
   *
   * @throws {@link DevflowError} `STORAGE_UNKNOWN_PROJECT` for an unknown id, `STORAGE_BAD_ARGUMENT` for
   *   an empty name.
   */
  update(id: string, patch: { name?: string; settings?: Record<string, unknown> }): Project;
  /** Removes a project (its events, rollups and commits stay); false when it did not exist. */
  remove(id: string): boolean;
}

/** The SQLite implementation of {@link ProjectRepository}. */
export class SqliteProjectRepository implements ProjectRepository {
  readonly #db: StorageDatabase;

  constructor(db: StorageDatabase) {
    this.#db = db;
  }

  add(project: NewProject): Project {
    const name = project.name.trim();
    if (name === "" || project.rootPath.trim() === "") {
      throw new DevflowError(
        "STORAGE_BAD_ARGUMENT",
        "a project needs a non-empty name and rootPath",
      );
    }
    const now = Date.now();
    const row: Project = {
      id: newEventId(),
      name,
      rootPath: resolve(project.rootPath),
      createdAt: now,
      updatedAt: now,
      settings: project.settings ?? {},
    };
    const result = this.#db.insert(projectsTable).values(row).onConflictDoNothing().run();
    if (result.changes === 0) {
      const existing = this.get(row.rootPath);
      throw new DevflowError(
        "STORAGE_CONFLICT",
        `a project with root path ${row.rootPath} already exists (id ${existing?.id ?? "unknown"})`,
        { data: { rootPath: row.rootPath, existingId: existing?.id } },
      );
    }
    return row;
  }

  list(): Project[] {
    return this.#db
      .select()
      .from(projectsTable)
      .orderBy(asc(projectsTable.createdAt), asc(projectsTable.id))
      .all();
  }

  get(idOrRootPath: string): Project | undefined {
    if (idOrRootPath === "") return undefined;
    return this.#db
      .select()
      .from(projectsTable)
      .where(
        or(eq(projectsTable.id, idOrRootPath), eq(projectsTable.rootPath, resolve(idOrRootPath))),
      )
      .get();
  }

  update(id: string, patch: { name?: string; settings?: Record<string, unknown> }): Project {
    const current = this.#db.select().from(projectsTable).where(eq(projectsTable.id, id)).get();
    if (!current) {
      throw new DevflowError(
        "STORAGE_UNKNOWN_PROJECT",
        `no registered project has the id "${id}"`,
        { data: { id } },
      );
    }
    const name = patch.name === undefined ? current.name : patch.name.trim();
    if (name === "")
      throw new DevflowError("STORAGE_BAD_ARGUMENT", "a project name cannot be empty");
    const settings = { ...current.settings };
    for (const [key, value] of Object.entries(patch.settings ?? {})) {
      if (value === null) delete settings[key];
      else settings[key] = value;
    }
    const updated: Project = { ...current, name, settings, updatedAt: Date.now() };
    this.#db
      .update(projectsTable)
      .set({ name, settings, updatedAt: updated.updatedAt })
      .where(eq(projectsTable.id, id))
      .run();
    return updated;
  }

  remove(id: string): boolean {
    return this.#db.delete(projectsTable).where(eq(projectsTable.id, id)).run().changes > 0;
  }
}
