import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EpisodeState, Modality } from '../../api/types';
import { canAccess } from '../../auth/menu';
import { useMe } from '../../auth/session';
import { PersonName } from '../persons/PersonName';
import { useFacility } from './hooks';

const STATE_COLORS: Record<EpisodeState, string> = { registered: 'default', admitted: 'blue', active: 'green', ended: 'purple' };

export function EpisodeStateTag({ state }: { state: EpisodeState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="episode-state">
      {t(`treatment.states.${state}`)}
    </Tag>
  );
}

export function ModalityLabel({ modality }: { modality: Modality }) {
  const { t } = useTranslation();
  return <>{t(`facilities.modalities.${modality}`)}</>;
}

export function FacilityName({ id }: { id: string | null | undefined }) {
  const facility = useFacility(id ?? undefined);
  if (!id) return <>—</>;
  return <>{facility.data?.name ?? id.slice(0, 8)}</>;
}

/** Officers who read person files see the name; facility staff (no registry access) the id. */
export function usePersonReadable(): boolean {
  const me = useMe();
  return canAccess(me.data?.roles, 'persons');
}

export function EpisodePerson({ personId }: { personId: string }) {
  const readable = usePersonReadable();
  const short = personId.slice(0, 8);
  return readable ? <PersonName id={personId} fallback={short} /> : <span title={personId}>{short}</span>;
}
