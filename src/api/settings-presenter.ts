import type { SettingView } from '../services/settings.service.js';

/** One runtime setting as GET/PUT /api/settings return it (the web app's type derives from this). */
export function presentSetting(v: SettingView) {
  return {
    key: v.definition.key,
    group: v.definition.group,
    label: v.definition.label,
    description: v.definition.description,
    input: v.definition.input,
    value: v.value,
    default: v.defaultValue,
    source: v.source,
    updatedAt: v.updatedAt?.toISOString() ?? null,
    updatedBy: v.updatedBy,
  };
}
