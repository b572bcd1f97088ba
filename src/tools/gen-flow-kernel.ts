// `npm run gen:flow-kernel`: compiles src/sources/flowlogs/kernel.wat into kernel-wasm.ts (see flow-kernel.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { KERNEL_MODULE, compileFlowKernel, renderFlowKernelModule } from './flow-kernel.js';

const binary = await compileFlowKernel();
writeFileSync(KERNEL_MODULE, renderFlowKernelModule(binary));
process.stdout.write(`wrote ${path.relative(process.cwd(), KERNEL_MODULE)}: ${binary.length} bytes of WebAssembly\n`);
