import { defineConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.js';

export default defineConfig(projectConfig('tune'));
