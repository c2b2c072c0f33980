import { defineConfig } from 'tsup';
import { packageConfig } from '../../tooling/tsup.config';

// `shims`: the CJS build gets `import.meta.url` (the PKCS#11 worker resolves pkcs11js from it).
export default defineConfig({ ...packageConfig({ platform: 'node' }), shims: true });
