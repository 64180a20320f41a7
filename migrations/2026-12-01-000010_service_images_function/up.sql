-- A service's images as one JSON array, in position order, for the statements that read
-- services with their images. As a function, those statements stay fixed SQL that each
-- connection prepares once (a subquery written into them as raw SQL made the driver parse
-- and plan them on every request, five times the cost of running them); PL/pgSQL keeps its
-- own plan per session too.
CREATE FUNCTION krika_service_images(service uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', i.id, 'key', i.storage_key, 'position', i.position)
                   ORDER BY i.position), '[]'::jsonb)
        FROM service_images i
        WHERE i.service_id = service
    );
END
$$;
