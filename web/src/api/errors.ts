// Turning failures into words: the server's Chinese message when the console speaks Chinese, the
// translated error code otherwise; and server field problems placed next to their form fields.
import { reactive, ref } from 'vue';
import { i18n } from '@/i18n';
import { ApiError, NetworkError, type FieldProblem } from './client';

/** One sentence for a failed request, in the console's language. */
export function describeError(err: unknown): string {
  const { t, te, locale } = i18n.global;
  if (err instanceof ApiError) {
    if (locale.value === 'zh-CN' && err.message) return err.message;
    const key = `errors.${err.code}`;
    return te(key) ? t(key, { field: err.field ?? '' }) : t('errors.unknown', { status: err.status });
  }
  if (err instanceof NetworkError) return t('errors.network');
  return err instanceof Error ? err.message : String(err);
}

/**
 * The words for one field problem: a console translation when there is one for this field and
 * code (the server's text for some checks is English), else the server's Chinese message, else
 * (in English) a translation of the bare code.
 */
export function describeProblem(problem: FieldProblem): string {
  const { t, te, locale } = i18n.global;
  const field = formFieldOf(problem.field);
  const specific = `fieldErrors.${field}.${problem.code}`;
  if (te(specific)) return t(specific);
  if (locale.value !== 'zh-CN' && te(`fieldErrors.${problem.code}`)) return t(`fieldErrors.${problem.code}`);
  return problem.message;
}

/** `roles[0]` and `address.line1` belong to the form items `roles` and `address`. */
export function formFieldOf(serverField: string): string {
  const match = /^[^.[]+/.exec(serverField);
  return match ? match[0] : serverField;
}

/**
 * Server-side field errors for one form: bind `errors.NAME` to `<el-form-item :error>`. `apply`
 * places each problem at its field when the form has one, and anything else in `formError`.
 */
export function useFieldErrors(fields: readonly string[]) {
  const errors = reactive<Record<string, string>>({});
  const formError = ref<string | null>(null);

  function clear(field?: string): void {
    if (field) {
      delete errors[field];
      return;
    }
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = null;
  }

  /** Returns true when at least one problem was placed at a field. */
  function apply(err: unknown): boolean {
    clear();
    let placed = false;
    const leftovers: string[] = [];
    if (err instanceof ApiError && err.details.length > 0) {
      for (const problem of err.details) {
        const field = formFieldOf(problem.field);
        if (fields.includes(field)) {
          const text = describeProblem(problem);
          errors[field] = errors[field] ? `${errors[field]}；${text}` : text;
          placed = true;
        } else {
          leftovers.push(problem.field ? `${problem.field}: ${describeProblem(problem)}` : describeProblem(problem));
        }
      }
    }
    if (!placed || leftovers.length > 0) formError.value = [describeError(err), ...leftovers].join('；');
    return placed;
  }

  return { errors, formError, clear, apply };
}
