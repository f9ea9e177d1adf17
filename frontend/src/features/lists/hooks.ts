import { apiListFacilities, apiListSupervisors } from '../../api/endpoints';
import { useCursorList } from './useCursorList';

export const useFacilities = () => useCursorList(['facilities', 'list'], (cursor) => apiListFacilities(cursor));

export const useSupervisors = () => useCursorList(['supervisors', 'list'], (cursor) => apiListSupervisors(cursor));
