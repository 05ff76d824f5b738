import type { Command } from 'commander';
import { doctor, formatDoctor } from '../bench/doctor.js';
import { jsonOption, jsonTarget, writeResult } from './options.js';

export function addDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('what albench bench can use here: execution providers, CUDA libraries, GPUs, CPU features')
    .addOption(jsonOption('what was found'))
    .action(async (o: { json?: string | boolean }) => {
      const json = jsonTarget(o.json);
      const report = await doctor();
      writeResult(json, report, () => formatDoctor(report));
    });
}
