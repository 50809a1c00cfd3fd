/**
 * A small multi-language repository whose call graph is known, for graph, search and indexing tests.
 * Truth (calls edges): placeOrder -> getUserById (named import), placeOrder -> formatOrder (namespace
 * import), cancelOrder -> placeOrder (same file), getUserById -> queryUser (same file),
 * formatOrder -> formatMoney (same file), UserRepository.findAll -> UserRepository.load (this.),
 * invoice -> compute_tax (Python relative import), compute_tax -> rate (same file),
 * audit -> writeAuditLog (unique name in the repository, no import).
 * `helper` is defined twice and called without an import from a third file: it stays unresolved.
 */
export const FIXTURE_FILES: { path: string; content: string }[] = [
  {
    path: 'src/db/users.ts',
    content: `/** Loads one user by primary key. */
export function getUserById(id: string): User | null {
  return queryUser(id);
}

function queryUser(id: string): User | null {
  if (id === '') return null;
  return { id, name: 'user' };
}

export interface User {
  id: string;
  name: string;
}

export class UserRepository {
  private cache = new Map<string, User>();

  findAll(): User[] {
    return this.load();
  }

  load(): User[] {
    return [...this.cache.values()];
  }
}
`,
  },
  {
    path: 'src/services/orders.ts',
    content: `import { getUserById } from '../db/users';
import * as fmt from '../util/format';

export function placeOrder(userId: string, total: number): string {
  const user = getUserById(userId);
  if (!user || total <= 0) {
    throw new Error('invalid order');
  }
  return fmt.formatOrder({ user, total });
}

export const cancelOrder = (userId: string): string => {
  return placeOrder(userId, 0);
};
`,
  },
  {
    path: 'src/util/format.ts',
    content: `export function formatOrder(order: { total: number }): string {
  return formatMoney(order.total);
}

export function formatMoney(amount: number): string {
  return amount.toFixed(2);
}

export function helper(): number {
  return 1;
}
`,
  },
  {
    path: 'src/util/other.ts',
    content: `export function helper(): number {
  return 2;
}
`,
  },
  {
    path: 'src/audit.ts',
    content: `export function audit(event: string): void {
  writeAuditLog(event);
  helper();
}
`,
  },
  {
    path: 'src/audit-log.ts',
    content: `export function writeAuditLog(event: string): void {
  console.log(event);
}
`,
  },
  {
    path: 'billing/invoice.py',
    content: `from .tax import compute_tax


def invoice(amount):
    """Builds an invoice total with tax."""
    return amount + compute_tax(amount)
`,
  },
  {
    path: 'billing/tax.py',
    content: `def compute_tax(amount):
    return amount * rate()


def rate():
    return 0.2
`,
  },
  {
    path: 'billing/__init__.py',
    content: '',
  },
  {
    path: 'README.md',
    content: '# Shop\n\nA fixture repository for the code-intelligence tests.\n',
  },
];
