import type { Command } from 'commander';
import { doctor, formatDoctor } from '../bench/doctor.js';

export function addDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('what albench bench can use here: execution providers, CUDA libraries, GPUs, CPU features')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const report = await doctor();
      process.stdout.write(`${o.json ? JSON.stringify(report, null, 2) : formatDoctor(report)}\n`);
    });
}
