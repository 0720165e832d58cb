import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { CollaboratorRole, DesignStatus, DesignVisibility } from '../entities/enums';
import { inTransaction } from '../src/context';
import { allows, Permission, readableSql } from '../src/domain/permissions';
import { createDesign } from '../src/services/designs/create-design';
import { withDb } from './helpers';
import { asUser, inProcessApp } from './in-process';

describe('access: the lists’ SQL and the rule agree', () => {
  const services = inProcessApp();

  test('readableSql admits exactly the designs allows() lets each caller read, over every visibility × status × role, anonymous too', async () => {
    const owner = asUser(services.app());
    const caller = randomUUID();
    const roles = [null, ...Object.values(CollaboratorRole).filter((r) => r !== CollaboratorRole.OWNER)];
    const cases: { id: string; visibility: DesignVisibility; status: DesignStatus; role: CollaboratorRole | null }[] = [];
    for (const visibility of Object.values(DesignVisibility)) {
      for (const status of Object.values(DesignStatus)) {
        for (const role of roles) {
          const { id } = await inTransaction(owner, (tx) => createDesign(tx, { name: `${visibility} ${status} ${role}` }));
          cases.push({ id, visibility, status, role });
        }
      }
    }
    await withDb(async (db) => {
      for (const c of cases) {
        await db.query('UPDATE designs SET visibility = $2, status = $3 WHERE id = $1', [c.id, c.visibility, c.status]);
        if (c.role) await db.query('INSERT INTO collaborators (design_id, user_id, role) VALUES ($1, $2, $3)', [c.id, caller, c.role]);
      }
      for (const viewer of [null, { userId: caller, tier: 'pro' as const }]) {
        const { rows } = await db.query(`SELECT d.id FROM designs d WHERE d.id = ANY($2::uuid[]) AND ${readableSql('$1')}`, [
          viewer?.userId ?? null,
          cases.map((c) => c.id),
        ]);
        const bySql = new Set(rows.map((r: { id: string }) => r.id));
        for (const c of cases) {
          const byRule = allows(viewer, { ...c, role: viewer ? c.role : null }, Permission.Read);
          assert.equal(bySql.has(c.id), byRule, `${viewer ? 'signed in' : 'anonymous'}, ${c.visibility} ${c.status}, role ${c.role}`);
        }
      }
    });
  });
});
