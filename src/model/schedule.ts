/** The spec's `schedule` as the model's ScheduleModel. */
import { isSchedulePreset, PRESET_CRON, type ScheduleSemantics } from '../spec/cron.js';
import { parseDuration } from '../spec/duration.js';
import type { PipelineSpec } from '../spec/types.js';
import { assetsCondition } from './assets.js';
import type { ScheduleModel, TimeScheduleModel } from './types.js';

/** Schema validation has checked every cron and preset; a preset here is periodic unless written bare. */
export function scheduleModel(spec: PipelineSpec): ScheduleModel {
  const schedule = spec.schedule;
  if (schedule === null) return { kind: 'none' };
  const cronModel = (text: string, semantics: ScheduleSemantics): ScheduleModel => {
    if (!isSchedulePreset(text)) return { kind: 'cron', cron: text.trim().split(/\s+/).join(' '), semantics };
    const cron = PRESET_CRON[text];
    return cron === undefined ? { kind: 'preset', preset: text as '@once' | '@continuous' } : { kind: 'cron', cron, semantics };
  };
  if (typeof schedule === 'string') return cronModel(schedule, 'interval');
  let time: ScheduleModel | undefined;
  if ('cron' in schedule) time = cronModel(schedule.cron, schedule.semantics ?? 'interval');
  else if ('every' in schedule) time = { kind: 'every', seconds: parseDuration(schedule.every) ?? 0, semantics: schedule.semantics ?? 'interval' };
  if (schedule.assets === undefined) return time ?? { kind: 'none' };
  const condition = assetsCondition(schedule.assets);
  // The map form takes periodic schedules only (validation rejects @once and @continuous there).
  return time === undefined ? { kind: 'assets', condition } : { kind: 'assets-or-time', condition, time: time as TimeScheduleModel };
}
