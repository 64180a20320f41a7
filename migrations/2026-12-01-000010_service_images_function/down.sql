DROP FUNCTION krika_service_images(uuid);
