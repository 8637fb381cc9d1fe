// Shared vitest settings: tests run on the TypeScript sources of every lib (no build needed),
// so `@omnitrain/<name>` resolves to `libs/<name>/src/index.ts` here, while plain Node resolves
// it to the built `dist/` through each package's `exports`.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const group of ['libs', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const entry = join(dir, name, 'src', 'index.ts');
      if (existsSync(entry)) aliases[`@omnitrain/${name}`] = entry;
    }
  }
  return aliases;
}

/** Vitest project settings for the project named `name`, with tests beside the code. */
export function projectConfig(name: string): ViteUserConfig {
  return {
    resolve: { alias: sourceAliases() },
    test: {
      name,
      include: ['src/**/*.test.ts', '*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
}
