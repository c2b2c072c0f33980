import { defineConfig } from 'tsup';
import { packageConfig } from '../../tooling/tsup.config';

export default defineConfig(packageConfig({ platform: 'node' }));
