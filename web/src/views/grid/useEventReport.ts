// The report form behind both report pages (console and the grid worker's phone page): the
// category and its extra attributes, the text, the point (GPS or a tap on the map) and the grid it
// falls in, photos held until the event exists and then uploaded one by one.
import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useFieldErrors } from '@/api/errors';
import { allRegions, type Region } from '@/api/lists';
import {
  categories, containsPoint, newKey, reportEvent, uploadEventPhoto,
  type Category, type CategoryAttribute, type ReportOutcome,
} from './gridApi';

export interface PendingPhoto {
  key: number;
  file: File;
  url: string;
}

export const REPORT_FIELDS = ['category', 'title', 'description', 'lat', 'lng', 'address', 'region_code', 'attributes', 'reporter_name', 'reporter_phone', 'Idempotency-Key'] as const;

export function useEventReport() {
  const { t } = useI18n();
  const cats = ref<Category[]>([]);
  const grids = ref<Region[]>([]);
  const form = reactive({
    category: '',
    title: '',
    description: '',
    urgent: false,
    address: '',
    gridCode: '' as string,
    point: null as { lat: number; lng: number } | null,
    attributes: {} as Record<string, unknown>,
    reporterName: '',
    reporterPhone: '',
  });
  const photos = ref<PendingPhoto[]>([]);
  const { errors, formError, clear, apply } = useFieldErrors(REPORT_FIELDS);
  const attributeErrors = ref<Record<string, string>>({});
  const saving = ref(false);
  const locating = ref(false);
  const outcome = ref<ReportOutcome | null>(null);
  const uploadProblems = ref<string[]>([]);
  let key = newKey();
  let photoSeq = 0;

  const category = computed(() => cats.value.find((c) => c.code === form.category) ?? null);
  const attributeDefs = computed<CategoryAttribute[]>(() => [...(category.value?.attributes ?? [])].sort((a, b) => a.order - b.order));
  const grid = computed(() => grids.value.find((g) => g.code === form.gridCode) ?? null);

  async function loadOptions(): Promise<void> {
    const [c, g] = await Promise.allSettled([categories(), allRegions('grid')]);
    if (c.status === 'fulfilled') cats.value = c.value.filter((x) => x.active);
    else formError.value = t('gridEvents.report.optionsFailed');
    if (g.status === 'fulfilled') grids.value = g.value.sort((a, b) => a.code.localeCompare(b.code));
  }

  function chooseCategory(code: string): void {
    form.category = code;
    form.attributes = {};
    attributeErrors.value = {};
    clear('category');
  }

  /** A point from the map or GPS; the grid it lies in is chosen with it. */
  function pickPoint(p: { lat: number; lng: number }): void {
    form.point = p;
    clear('lat');
    const hit = grids.value.find((g) => g.geometry && containsPoint(g.geometry, p.lng, p.lat));
    if (hit) {
      form.gridCode = hit.code;
      clear('region_code');
    }
  }

  function locate(): Promise<void> {
    return new Promise((resolve) => {
      if (!('geolocation' in navigator)) {
        errors.lat = t('gridEvents.report.noGeolocation');
        resolve();
        return;
      }
      locating.value = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          locating.value = false;
          pickPoint({ lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) });
          resolve();
        },
        (err) => {
          locating.value = false;
          errors.lat = err.code === err.PERMISSION_DENIED ? t('gridEvents.report.geolocationDenied') : t('gridEvents.report.geolocationFailed');
          resolve();
        },
        { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
      );
    });
  }

  function addPhotos(files: FileList | File[] | null): void {
    for (const file of [...(files ?? [])]) {
      photoSeq += 1;
      photos.value = [...photos.value, { key: photoSeq, file, url: URL.createObjectURL(file) }];
    }
  }
  function removePhoto(k: number): void {
    const hit = photos.value.find((p) => p.key === k);
    if (hit) URL.revokeObjectURL(hit.url);
    photos.value = photos.value.filter((p) => p.key !== k);
  }

  function checkAttributes(): boolean {
    const out: Record<string, string> = {};
    for (const a of attributeDefs.value) {
      const v = form.attributes[a.code];
      const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
      if (a.required && empty) out[a.code] = t('gridEvents.report.attributeRequired');
    }
    attributeErrors.value = out;
    return Object.keys(out).length === 0;
  }

  function attributePayload(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const a of attributeDefs.value) {
      const v = form.attributes[a.code];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      out[a.code] = a.datatype === 'number' ? Number(v) : v;
    }
    return out;
  }

  /** Files the report, then its photos; true when the event exists (photo failures are listed). */
  async function submit(onBehalf: boolean): Promise<boolean> {
    clear();
    uploadProblems.value = [];
    let ok = true;
    if (!form.category) {
      errors.category = t('gridEvents.report.needCategory');
      ok = false;
    }
    if (!form.description.trim()) {
      errors.description = t('gridEvents.report.needDescription');
      ok = false;
    }
    if (!form.point && !form.gridCode) {
      errors.lat = t('gridEvents.report.needPlace');
      ok = false;
    }
    if (!checkAttributes() || !ok) return false;
    saving.value = true;
    try {
      const res = await reportEvent(
        {
          category: form.category,
          title: form.title.trim(),
          description: form.description.trim(),
          lat: form.point?.lat ?? null,
          lng: form.point?.lng ?? null,
          address: form.address.trim(),
          // The grid goes along with the point: it places the event when the point is in no grid
          // the server knows of.
          region_code: form.gridCode || null,
          urgent: form.urgent,
          attributes: attributePayload(),
          reporter_name: onBehalf && form.reporterName.trim() ? form.reporterName.trim() : null,
          reporter_phone: onBehalf && form.reporterPhone.trim() ? form.reporterPhone.trim() : null,
        },
        key,
      );
      for (const p of photos.value) {
        try {
          await uploadEventPhoto(res.event.id, p.file);
        } catch (err) {
          uploadProblems.value.push(`${p.file.name}：${err instanceof Error ? err.message : String(err)}`);
        }
      }
      outcome.value = res;
      return true;
    } catch (err) {
      apply(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  function reset(): void {
    for (const p of photos.value) URL.revokeObjectURL(p.url);
    photos.value = [];
    outcome.value = null;
    uploadProblems.value = [];
    key = newKey();
    Object.assign(form, { category: '', title: '', description: '', urgent: false, address: '', point: null, attributes: {}, reporterName: '', reporterPhone: '' });
    clear();
    attributeErrors.value = {};
  }

  return {
    cats, grids, form, photos, errors, formError, clear, attributeErrors, saving, locating, outcome, uploadProblems,
    category, attributeDefs, grid, loadOptions, chooseCategory, pickPoint, locate, addPhotos, removePhoto, submit, reset,
  };
}
